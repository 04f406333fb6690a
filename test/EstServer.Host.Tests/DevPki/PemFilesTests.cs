using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.DevPki;

/// <summary>PEM files of the dev PKI: certificates in order, private keys owner-only from the first byte and never overwritten.</summary>
[TestFixture]
public sealed class PemFilesTests
{
    private TempDirectory _dir = null!;
    private X509Certificate2 _certificate = null!;

    [SetUp]
    public void CreateCertificate()
    {
        _dir = new TempDirectory();
        _certificate = TestCertificates.CreateRootCa("CN=PEM test");
    }

    [TearDown]
    public void Delete()
    {
        _certificate.Dispose();
        _dir.Dispose();
    }

    [Test]
    public void WritePrivateKey_NewFile_WritesPkcs8ThatLoadsWithTheCertificate()
    {
        string certificatePath = _dir.Combine("c.pem");
        string keyPath = _dir.Combine("c.key");

        PemFiles.WriteCertificate(certificatePath, _certificate);
        PemFiles.WritePrivateKey(keyPath, _certificate);
        using X509Certificate2 loaded = PemFiles.LoadWithKey(certificatePath, keyPath);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(keyPath), Does.StartWith("-----BEGIN PRIVATE KEY-----\n").And.EndWith("-----END PRIVATE KEY-----\n"));
            Assert.That(loaded.RawData, Is.EqualTo(_certificate.RawData));
            Assert.That(loaded.HasPrivateKey, Is.True);
        }
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public void WritePrivateKey_NewFile_IsOwnerReadWriteOnly()
    {
        string keyPath = _dir.Combine("c.key");

        PemFiles.WritePrivateKey(keyPath, _certificate);

        Assert.That(File.GetUnixFileMode(keyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void WritePrivateKey_FileExists_ThrowsAndKeepsTheFile()
    {
        string keyPath = _dir.Combine("c.key");
        File.WriteAllText(keyPath, "precious\n");

        Assert.Throws<IOException>(() => PemFiles.WritePrivateKey(keyPath, _certificate));
        Assert.That(File.ReadAllText(keyPath), Is.EqualTo("precious\n"));
    }

    [Test]
    public void WritePrivateKey_CertificateWithoutKey_Throws()
    {
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(_certificate.RawData);

        Assert.Throws<InvalidOperationException>(() => PemFiles.WritePrivateKey(_dir.Combine("none.key"), publicOnly));
    }

    [Test]
    public void WritePrivateKey_RsaCertificate_WritesTheRsaKey()
    {
        using X509Certificate2 certificate = TestCertificates.CreateRootCa("CN=rsa", keyType: TestKeyType.Rsa2048);
        string certificatePath = _dir.Combine("rsa.pem");
        string keyPath = _dir.Combine("rsa.key");

        PemFiles.WriteCertificate(certificatePath, certificate);
        PemFiles.WritePrivateKey(keyPath, certificate);

        using X509Certificate2 loaded = PemFiles.LoadWithKey(certificatePath, keyPath);
        Assert.That(loaded.GetRSAPrivateKey(), Is.Not.Null);
    }

    [Test]
    public void WriteCertificate_Several_WritesThemAllInOrder()
    {
        using X509Certificate2 second = TestCertificates.CreateRootCa("CN=second");
        string path = _dir.Combine("chain.pem");

        PemFiles.WriteCertificate(path, _certificate, second);
        var loaded = new X509Certificate2Collection();
        loaded.ImportFromPemFile(path);

        Assert.That(loaded.Select(c => c.RawData), Is.EqualTo(new[] { _certificate.RawData, second.RawData }));
    }
}
