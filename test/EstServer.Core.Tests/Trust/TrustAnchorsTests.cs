using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Trust;

public class TrustAnchorsTests
{
    private TestCaHierarchy _pki = null!;

    [OneTimeSetUp]
    public void CreatePki() => _pki = TestCaHierarchy.Create(name: "Anchors");

    [OneTimeTearDown]
    public void DisposePki() => _pki.Dispose();

    [Test]
    public void Constructor_RootAndIntermediate_SortsSelfSignedIntoRoots()
    {
        var anchors = new TrustAnchors("factory", [_pki.IssuingCertificate, _pki.Root]);

        Assert.Multiple(() =>
        {
            Assert.That(anchors.Description, Is.EqualTo("factory"));
            Assert.That(anchors.Roots.Select(c => c.Thumbprint), Is.EqualTo(new[] { _pki.Root.Thumbprint }));
            Assert.That(anchors.Intermediates.Select(c => c.Thumbprint), Is.EqualTo(new[] { _pki.IssuingCertificate.Thumbprint }));
        });
    }

    [Test]
    public void LoadPemFiles_ChainInOneFileAndRootInAnother_LoadsAll()
    {
        using var files = new TempDirectory();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 otherRoot = TestCertificates.CreateCa("CN=Other Root", otherKey);
        string chain = files.Write("chain.pem", TestCertificates.Pem(_pki.IssuingCertificate) + TestCertificates.Pem(_pki.Root));
        string other = files.Write("other.pem", TestCertificates.Pem(otherRoot));

        TrustAnchors anchors = TrustAnchors.LoadPemFiles("configured", [chain, other]);

        Assert.Multiple(() =>
        {
            Assert.That(anchors.Roots.Select(c => c.Thumbprint), Is.EquivalentTo(new[] { _pki.Root.Thumbprint, otherRoot.Thumbprint }));
            Assert.That(anchors.Intermediates.Select(c => c.Thumbprint), Is.EqualTo(new[] { _pki.IssuingCertificate.Thumbprint }));
        });
    }

    [Test]
    public void LoadPemFiles_FileWithoutCertificate_ThrowsNamingFile()
    {
        using var files = new TempDirectory();
        string root = files.Write("root.pem", TestCertificates.Pem(_pki.Root));
        string empty = files.Write("not-a-certificate.pem", "just some text\n");

        Assert.That(() => TrustAnchors.LoadPemFiles("configured", [root, empty]),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not-a-certificate.pem"));
    }
}
