using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Trust;

public class ClientChainTests
{
    private TestCaHierarchy _pki = null!;

    [OneTimeSetUp]
    public void CreatePki() => _pki = TestCaHierarchy.Create(name: "Chain");

    [OneTimeTearDown]
    public void DisposePki() => _pki.Dispose();

    [Test]
    public void Build_ClientUnderAnchors_TrustedLeafFirstAndArgumentStillUsable()
    {
        using X509Certificate2 client = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=chain-client");

        ClientChain chain = ClientChain.Build(client, new TrustAnchors("test", [_pki.Root, _pki.IssuingCertificate]));

        // The chain's element certificates are disposed after the snapshot; the caller's is not.
        Assert.Multiple(() =>
        {
            Assert.That(chain.Trusted, Is.True);
            Assert.That(chain.Links.Select(link => link.Thumbprint), Is.EqualTo(new[] { client.Thumbprint, _pki.IssuingCertificate.Thumbprint, _pki.Root.Thumbprint }));
            Assert.That(client.RawData, Is.Not.Empty);
            Assert.That(client.HasPrivateKey, Is.True);
            Assert.That(_pki.Root.RawData, Is.Not.Empty);
        });
    }

    [Test]
    public void Build_ClientUnderOtherAnchors_NotTrusted()
    {
        using TestCaHierarchy other = TestCaHierarchy.Create(name: "Other Chain");
        using X509Certificate2 client = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=stranger");

        ClientChain chain = ClientChain.Build(client, new TrustAnchors("other", [other.Root]));

        Assert.That(chain.Trusted, Is.False);
    }
}
