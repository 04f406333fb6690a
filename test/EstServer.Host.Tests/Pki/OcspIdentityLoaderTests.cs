using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Revocation;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Pki;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Pki;

/// <summary>
/// Where the OCSP signing key comes from (RFC 6960 §4.2.2.2 delegated responder): configured files
/// first, else a fresh in-memory identity where the CA key is, else the development PKI's files, else none.
/// </summary>
[TestFixture]
public sealed class OcspIdentityLoaderTests
{
    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

    private TempDirectory _dir = null!;
    private PkiMaterial _withCaKey = null!;
    private PkiMaterial _withoutCaKey = null!;
    private X509Certificate2 _issuingCa = null!;

    [OneTimeSetUp]
    public void CreateDevPki()
    {
        _dir = new TempDirectory();
        var options = new EstOptions { DataDir = _dir.Path };
        // The CA-key load writes the dev responder files; the second load is a Redis-mode host's view.
        _withCaKey = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey);
        _withoutCaKey = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.None);
        DevPkiLayout dev = DevPkiLayout.InDataDir(_dir.Path);
        _issuingCa = TestCertificates.LoadPem(dev.IssuingCaCertificate, dev.IssuingCaKey);
    }

    [OneTimeTearDown]
    public void DeleteDevPki()
    {
        _issuingCa.Dispose();
        _dir.Dispose();
    }

    [TestCase(TestKeyType.EcP256, false)]
    [TestCase(TestKeyType.EcP256, true)]
    [TestCase(TestKeyType.Rsa2048, false)]
    [TestCase(TestKeyType.Rsa2048, true)]
    public void Load_ConfiguredFiles_LoadsThatResponder(TestKeyType keyType, bool traditionalKey)
    {
        using X509Certificate2 responder = CreateResponder(_issuingCa, keyType);
        RevocationOptions options = WriteFiles(responder, traditionalKey);

        using OcspSigningIdentity? identity = OcspIdentityLoader.Load(options, _withCaKey, TimeProvider.System);

        Assert.That(identity?.CertificateDer, Is.EqualTo(responder.RawData), "the configured files win even where the CA key is");
    }

    [Test]
    public void Load_ConfiguredFilesOnHostWithoutCaKey_LoadsThatResponder()
    {
        using X509Certificate2 responder = CreateResponder(_issuingCa, TestKeyType.EcP256);

        using OcspSigningIdentity? identity = OcspIdentityLoader.Load(WriteFiles(responder), _withoutCaKey, TimeProvider.System);

        Assert.That(identity?.CertificateDer, Is.EqualTo(responder.RawData));
    }

    [Test]
    public void Load_ConfiguredResponderOfAnotherCa_ThrowsNamingOcspCertificatePath()
    {
        using X509Certificate2 otherCa = TestCertificates.CreateRootCa("CN=Some Other CA");
        using X509Certificate2 responder = CreateResponder(otherCa, TestKeyType.EcP256);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => OcspIdentityLoader.Load(WriteFiles(responder), _withCaKey, TimeProvider.System));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Revocation:OcspCertificatePath: ").And.Contain("is not issued by the CA"));
    }

    [Test]
    public void Load_ConfiguredKeyOfAnotherCertificate_ThrowsNamingOcspCertificatePath()
    {
        using X509Certificate2 responder = CreateResponder(_issuingCa, TestKeyType.EcP256);
        using X509Certificate2 other = CreateResponder(_issuingCa, TestKeyType.EcP256);
        RevocationOptions options = WriteFiles(responder);
        TestCertificates.WriteKeyPem(options.OcspKeyPath, other);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => OcspIdentityLoader.Load(options, _withCaKey, TimeProvider.System));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Revocation:OcspCertificatePath: ").And.Contain("does not belong"));
    }

    [Test]
    public void Load_ConfiguredFilesMissing_ThrowsNamingOcspCertificatePath()
    {
        var options = new RevocationOptions { OcspCertificatePath = _dir.Combine("missing.pem"), OcspKeyPath = _dir.Combine("missing.key") };

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => OcspIdentityLoader.Load(options, _withCaKey, TimeProvider.System));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Revocation:OcspCertificatePath: "));
    }

    [Test]
    public void Load_ConfiguredCertificateFileWithoutPem_ThrowsNamingOcspCertificatePath()
    {
        using X509Certificate2 responder = CreateResponder(_issuingCa, TestKeyType.EcP256);
        RevocationOptions options = WriteFiles(responder);
        File.WriteAllText(options.OcspCertificatePath, "not a certificate\n");

        Assert.That(() => OcspIdentityLoader.Load(options, _withCaKey, TimeProvider.System),
            Throws.TypeOf<EstConfigurationException>().With.Message.StartsWith("cannot load Est:Revocation:OcspCertificatePath: "));
    }

    [Test]
    public void Load_CaKeyPresentNoFiles_IssuesAFreshResponderUnderTheCa()
    {
        using OcspSigningIdentity? identity = OcspIdentityLoader.Load(new RevocationOptions(), _withCaKey, TimeProvider.System);

        Assert.That(identity, Is.Not.Null);
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(identity!.CertificateDer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificate.RawData, Is.Not.EqualTo(DevOcspResponder.PemCertificate(_withCaKey.DevPki!.OcspResponderCertificate)), "in memory, not the dev files");
            Assert.That(certificate.IssuerName.RawData, Is.EqualTo(_issuingCa.SubjectName.RawData));
            Assert.That(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value, Is.EqualTo(OcspSigningOid));
            Assert.That(certificate.NotAfter.ToUniversalTime(), Is.GreaterThan(DateTime.UtcNow.AddDays(300)));
        }
    }

    [Test]
    public void Load_NoCaKeyOnDevPki_LoadsTheDevResponderFiles()
    {
        using OcspSigningIdentity? identity = OcspIdentityLoader.Load(new RevocationOptions(), _withoutCaKey, TimeProvider.System);

        Assert.That(identity?.CertificateDer, Is.EqualTo(DevOcspResponder.PemCertificate(_withoutCaKey.DevPki!.OcspResponderCertificate)));
    }

    [Test]
    public void Load_NoCaKeyOnDevPkiWithoutResponderFiles_ReturnsNull()
    {
        using var copy = new TempDirectory();
        var dev = DevPkiLayout.InDataDir(copy.Path);
        var pki = new PkiMaterial(_withoutCaKey.Ca, null, null, [], new Dictionary<string, string>(), dev, devPkiCreated: false);

        Assert.That(OcspIdentityLoader.Load(new RevocationOptions(), pki, TimeProvider.System), Is.Null);
    }

    [Test]
    public void Load_NoFilesNoCaKeyNoDevPki_ReturnsNull()
    {
        var pki = new PkiMaterial(_withoutCaKey.Ca, null, null, [], new Dictionary<string, string>(), devPki: null, devPkiCreated: false);

        Assert.That(OcspIdentityLoader.Load(new RevocationOptions(), pki, TimeProvider.System), Is.Null);
    }

    /// <summary>A delegated OCSP responder certificate (id-kp-OCSPSigning, digitalSignature) issued by <paramref name="issuer"/>.</summary>
    private static X509Certificate2 CreateResponder(X509Certificate2 issuer, TestKeyType keyType)
    {
        using AsymmetricAlgorithm key = TestCertificates.NewKey(keyType);
        CertificateRequest request = key is RSA rsa
            ? new CertificateRequest("CN=Test OCSP Responder", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=Test OCSP Responder", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(OcspSigningOid)], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa issuerKey = issuer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the test CAs have EC keys");
        using X509Certificate2 certificate = request.Create(
            issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(12));
        return key is RSA rsaKey ? certificate.CopyWithPrivateKey(rsaKey) : certificate.CopyWithPrivateKey((ECDsa)key);
    }

    private RevocationOptions WriteFiles(X509Certificate2 responder, bool traditionalKey = false)
    {
        string name = Guid.NewGuid().ToString("N");
        string certificate = _dir.Write(name + ".pem", TestCertificates.Pem(responder));
        string key = _dir.Combine(name + ".key");
        TestCertificates.WriteKeyPem(key, responder, traditionalKey);
        return new RevocationOptions { OcspCertificatePath = certificate, OcspKeyPath = key };
    }
}
