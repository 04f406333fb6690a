using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Issuance;

public class CertificateSignerFileTests
{
    private TempDirectory _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    [Test]
    public void Load_Pkcs8EcKey_ReturnsEcdsaSignerMatchingCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        AssertLoadsMatchingSigner<EcdsaCertificateSigner>(key, key.ExportPkcs8PrivateKeyPem(), "BEGIN PRIVATE KEY");
    }

    [Test]
    public void Load_TraditionalEcKey_ReturnsEcdsaSignerMatchingCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        AssertLoadsMatchingSigner<EcdsaCertificateSigner>(key, key.ExportECPrivateKeyPem(), "BEGIN EC PRIVATE KEY");
    }

    [Test]
    public void Load_Pkcs8RsaKey_ReturnsRsaSignerMatchingCa()
    {
        using var key = RSA.Create(2048);

        AssertLoadsMatchingSigner<RsaCertificateSigner>(key, key.ExportPkcs8PrivateKeyPem(), "BEGIN PRIVATE KEY");
    }

    [Test]
    public void Load_TraditionalRsaKey_ReturnsRsaSignerMatchingCa()
    {
        using var key = RSA.Create(2048);

        AssertLoadsMatchingSigner<RsaCertificateSigner>(key, key.ExportRSAPrivateKeyPem(), "BEGIN RSA PRIVATE KEY");
    }

    [Test]
    public void Load_OpenSslGeneratedEcKey_ReturnsEcdsaSigner()
    {
        string path = Path.Combine(_files.Path, "openssl-ec.pem");
        OpenSsl.RunOk("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path);

        using var signer = (IDisposable)CertificateSignerFile.Load(path);

        Assert.That(signer, Is.InstanceOf<EcdsaCertificateSigner>());
    }

    [Test]
    public void Load_OpenSslEcparamGenkeyOutput_ReturnsEcdsaSigner()
    {
        // "openssl ecparam -genkey" writes an EC PARAMETERS block before the EC PRIVATE KEY block.
        string path = Path.Combine(_files.Path, "ecparam.pem");
        OpenSsl.RunOk("ecparam", "-name", "prime256v1", "-genkey", "-out", path);
        Assert.That(File.ReadAllText(path), Does.Contain("BEGIN EC PARAMETERS"), "precondition");

        using var signer = (IDisposable)CertificateSignerFile.Load(path);

        Assert.That(signer, Is.InstanceOf<EcdsaCertificateSigner>());
    }

    [Test]
    public void Load_CertificateAndKeyInOneFile_ReturnsMatchingSigner()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 caCertificate = TestCertificates.CreateCa("CN=Combined File CA", key);
        string path = _files.Write("combined.pem", TestCertificates.Pem(caCertificate) + key.ExportPkcs8PrivateKeyPem());

        ICertificateSigner signer = CertificateSignerFile.Load(path);
        try
        {
            Assert.That(new IssuingCa([caCertificate.RawData]).Matches(signer), Is.True);
        }
        finally
        {
            (signer as IDisposable)?.Dispose();
        }
    }

    [Test]
    public void Load_Ed25519Key_Throws()
    {
        string path = Path.Combine(_files.Path, "ed25519.pem");
        OpenSsl.RunOk("genpkey", "-algorithm", "ed25519", "-out", path);

        Assert.That(() => CertificateSignerFile.Load(path), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void Load_FileWithoutKey_Throws()
    {
        using var ca = TestCertificates.CreateCa("CN=Only A Certificate", ECDsa.Create(ECCurve.NamedCurves.nistP256));
        string path = _files.Write("certificate.pem", TestCertificates.Pem(ca));

        Assert.That(() => CertificateSignerFile.Load(path), Throws.InstanceOf<ArgumentException>().Or.InstanceOf<CryptographicException>());
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.That(() => CertificateSignerFile.Load(Path.Combine(_files.Path, "absent.pem")), Throws.InstanceOf<FileNotFoundException>());
    }

    private void AssertLoadsMatchingSigner<TSigner>(AsymmetricAlgorithm key, string pem, string expectedLabel)
        where TSigner : ICertificateSigner
    {
        Assert.That(pem, Does.Contain(expectedLabel), "precondition: the file has the intended PEM form");
        using X509Certificate2 caCertificate = TestCertificates.CreateCa("CN=Signer File CA", key);
        var ca = new IssuingCa([caCertificate.RawData]);
        string path = _files.Write("ca-key.pem", pem);

        ICertificateSigner signer = CertificateSignerFile.Load(path);
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(signer, Is.InstanceOf<TSigner>());
                Assert.That(ca.Matches(signer), Is.True, "the loaded key is the CA's key");
            });
        }
        finally
        {
            (signer as IDisposable)?.Dispose();
        }
    }
}
