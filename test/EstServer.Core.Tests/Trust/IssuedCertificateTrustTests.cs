using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Trust;

public class IssuedCertificateTrustTests
{
    [Test]
    public void Constructor_IssuingCaChain_AnchorsRootAndRemembersIssuingCa()
    {
        using TestCaHierarchy pki = TestCaHierarchy.Create(name: "Issued Trust");

        var trust = new IssuedCertificateTrust(pki.Ca.ChainDer);

        Assert.Multiple(() =>
        {
            Assert.That(trust.IssuingCaDer, Is.EqualTo(pki.IssuingCertificate.RawData));
            Assert.That(trust.Anchors.Roots.Select(c => c.Thumbprint), Is.EqualTo(new[] { pki.Root.Thumbprint }));
            Assert.That(trust.Anchors.Intermediates.Select(c => c.Thumbprint), Is.EqualTo(new[] { pki.IssuingCertificate.Thumbprint }));
        });
    }
}
