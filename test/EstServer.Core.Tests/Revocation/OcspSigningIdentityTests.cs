using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Revocation;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace EstServer.Core.Tests.Revocation;

public class OcspSigningIdentityTests
{
    private const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    private TestCaHierarchy _pki = null!;
    private TestCaHierarchy _other = null!;

    [OneTimeSetUp]
    public void CreateCas()
    {
        _pki = TestCaHierarchy.Create(name: "Responder");
        _other = TestCaHierarchy.Create(name: "Stranger");
    }

    [OneTimeTearDown]
    public void DisposeCas()
    {
        _other.Dispose();
        _pki.Dispose();
    }

    [Test]
    public void Issue_Certificate_DelegatedByTheCaWithOcspSigningAndNocheck()
    {
        using OcspSigningIdentity identity = OcspSigningIdentity.Issue(_pki.Issuer, TimeProvider.System, TimeSpan.FromDays(7));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(identity.Certificate.SubjectDN.ToString(), Is.EqualTo("CN=Responder Issuing CA OCSP Responder"));
            Assert.That(identity.Certificate.IssuerDN.Equivalent(_pki.Ca.Subject, true), Is.True);
            Assert.That(() => identity.Certificate.Verify(_pki.Ca.Certificate.GetPublicKey()), Throws.Nothing);
            Assert.That(identity.Certificate.GetExtendedKeyUsage().Select(oid => oid.Id), Is.EqualTo(new[] { OcspSigning }));
            Assert.That(identity.Certificate.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNocheck), Is.Not.Null);
            Assert.That(identity.Certificate.NotAfter - DateTime.UtcNow, Is.EqualTo(TimeSpan.FromDays(7)).Within(TimeSpan.FromMinutes(1)));
        }
    }

    [Test]
    public void Issue_Key_SignsWhatTheCertificateVerifies()
    {
        using OcspSigningIdentity identity = OcspSigningIdentity.Issue(_pki.Issuer, TimeProvider.System, TimeSpan.FromDays(1));
        byte[] data = "probe"u8.ToArray();

        byte[] signature = identity.Sign(data);

        ISigner verifier = SignerUtilities.GetSigner("SHA256withECDSA");
        verifier.Init(false, identity.Certificate.GetPublicKey());
        verifier.BlockUpdate(data);
        Assert.That(verifier.VerifySignature(signature), Is.True);
    }

    [Test]
    public void Load_ResponderCertificateOfTheCa_LoadsAndSigns()
    {
        (byte[] der, AsymmetricKeyParameter key) = Responder(_pki, OcspSigning);

        using OcspSigningIdentity identity = OcspSigningIdentity.Load(der, key, _pki.Ca);

        Assert.That(identity.CertificateDer, Is.EqualTo(der));
    }

    [Test]
    public void Load_WithoutOcspSigning_ThrowsNamingTheUsage()
    {
        (byte[] der, AsymmetricKeyParameter key) = Responder(_pki, "1.3.6.1.5.5.7.3.2");

        Assert.That(() => OcspSigningIdentity.Load(der, key, _pki.Ca), Throws.ArgumentException.With.Message.Contains("OCSPSigning"));
    }

    [Test]
    public void Load_IssuedByAnotherCa_Throws()
    {
        (byte[] der, AsymmetricKeyParameter key) = Responder(_other, OcspSigning);

        Assert.That(() => OcspSigningIdentity.Load(der, key, _pki.Ca), Throws.ArgumentException.With.Message.Contains("not issued by"));
    }

    [Test]
    public void Load_Expired_Throws()
    {
        // The issuing CA is valid from a day ago; the responder certificate lasted its first hour.
        DateTimeOffset start = TestCertificates.ValidFrom(_pki.IssuingCertificate);
        (byte[] der, AsymmetricKeyParameter key) = Responder(_pki, OcspSigning, start, start.AddHours(1));

        Assert.That(() => OcspSigningIdentity.Load(der, key, _pki.Ca), Throws.ArgumentException.With.Message.Contains("not valid now"));
    }

    [Test]
    public void Load_KeyOfAnotherCertificate_Throws()
    {
        (byte[] der, _) = Responder(_pki, OcspSigning);
        (_, AsymmetricKeyParameter otherKey) = Responder(_pki, OcspSigning);

        Assert.That(() => OcspSigningIdentity.Load(der, otherKey, _pki.Ca), Throws.ArgumentException.With.Message.Contains("does not belong"));
    }

    /// <summary>A responder certificate made with .NET, not by our issuer, and its key as the host would read it from PEM.</summary>
    private static (byte[] Der, AsymmetricKeyParameter Key) Responder(TestCaHierarchy pki, string eku, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Loaded OCSP Responder", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        DateTimeOffset start = notBefore ?? TestCertificates.ValidFrom(pki.IssuingCertificate);
        using X509Certificate2 certificate = request.Create(pki.IssuingCertificate, start, notAfter ?? DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(12));
        return (certificate.RawData, PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }
}
