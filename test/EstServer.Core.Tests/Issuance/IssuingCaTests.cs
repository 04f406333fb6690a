using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Tests.Support;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Issuance;

public class IssuingCaTests
{
    private TestCaHierarchy _ec = null!;
    private TestCaHierarchy _rsa = null!;

    [OneTimeSetUp]
    public void CreateCas()
    {
        _ec = TestCaHierarchy.Create(TestKeyType.EcP256, "IssuingCa EC");
        _rsa = TestCaHierarchy.Create(TestKeyType.Rsa2048, "IssuingCa RSA");
    }

    [OneTimeTearDown]
    public void DisposeCas()
    {
        _ec.Dispose();
        _rsa.Dispose();
    }

    [Test]
    public void Constructor_IssuingCaThenRoot_ExposesChain()
    {
        var ca = new IssuingCa([_ec.IssuingCertificate.RawData, _ec.Root.RawData]);

        Assert.Multiple(() =>
        {
            Assert.That(ca.Subject.GetEncoded(), Is.EqualTo(_ec.IssuingCertificate.SubjectName.RawData));
            Assert.That(ca.NotAfter, Is.EqualTo(_ec.IssuingCertificate.NotAfter.ToUniversalTime()));
            Assert.That(ca.Certificate.GetEncoded(), Is.EqualTo(_ec.IssuingCertificate.RawData));
            Assert.That(ca.RootDer, Is.EqualTo(_ec.Root.RawData));
            Assert.That(ca.ChainDer, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void NotAfter_Always_IsUtc()
    {
        // CertificateTemplateBuilder calls ToUniversalTime on it; a local or unspecified kind would shift the clamp.
        Assert.That(_ec.Ca.NotAfter.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void Constructor_SelfSignedRootAlone_IsAccepted()
    {
        var ca = new IssuingCa([_ec.Root.RawData]);

        Assert.That(ca.RootDer, Is.EqualTo(_ec.Root.RawData));
    }

    [Test]
    public void CertsOnlyDer_Chain_DecodesToChain()
    {
        Assert.That(
            CertsOnlyPkcs7.Decode(_ec.Ca.CertsOnlyDer).Select(Convert.ToHexString),
            Is.EquivalentTo(new[] { _ec.IssuingCertificate.RawData, _ec.Root.RawData }.Select(Convert.ToHexString)));
    }

    [Test]
    public void Constructor_EmptyChain_ThrowsArgumentException()
    {
        Assert.That(() => new IssuingCa([]), Throws.ArgumentException.With.Message.Contains("empty"));
    }

    [Test]
    public void Constructor_EndEntityCertificate_ThrowsArgumentException()
    {
        using X509Certificate2 leaf = TestCertificates.CreateClient(_ec.IssuingCertificate, "CN=not-a-ca");

        Assert.That(() => new IssuingCa([leaf.RawData, _ec.IssuingCertificate.RawData, _ec.Root.RawData]),
            Throws.ArgumentException.With.Message.Contains("is not a CA"));
    }

    [Test]
    public void Constructor_CertificateWithoutBasicConstraints_ThrowsArgumentException()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=No Constraints", key, HashAlgorithmName.SHA256);
        using X509Certificate2 selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.That(() => new IssuingCa([selfSigned.RawData]), Throws.ArgumentException.With.Message.Contains("is not a CA"));
    }

    [Test]
    public void Constructor_RootBeforeIssuingCa_ThrowsOutOfOrder()
    {
        Assert.That(() => new IssuingCa([_ec.Root.RawData, _ec.IssuingCertificate.RawData]),
            Throws.ArgumentException.With.Message.Contains("out of order"));
    }

    [Test]
    public void Constructor_RootOfAnotherHierarchy_ThrowsOutOfOrder()
    {
        Assert.That(() => new IssuingCa([_ec.IssuingCertificate.RawData, _rsa.Root.RawData]),
            Throws.ArgumentException.With.Message.Contains("out of order"));
    }

    [Test]
    public void AuthorityKeyIdentifier_CaWithSki_IsCaSki()
    {
        var ski = (X509SubjectKeyIdentifierExtension)_ec.IssuingCertificate.Extensions["2.5.29.14"]!;

        Assert.That(_ec.Ca.AuthorityKeyIdentifier.KeyIdentifier.GetOctets(), Is.EqualTo(ski.SubjectKeyIdentifierBytes.ToArray()));
    }

    [Test]
    public void AuthorityKeyIdentifier_CaWithoutSki_IsSha1OfPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = TestCertificates.CreateCa("CN=No SKI CA", key, subjectKeyIdentifier: false);
        Assert.That(ca.Extensions["2.5.29.14"], Is.Null, "precondition: no SKI");
        byte[] expected = SHA1.HashData(ca.PublicKey.EncodedKeyValue.RawData);

        var issuing = new IssuingCa([ca.RawData]);

        Assert.That(issuing.AuthorityKeyIdentifier.KeyIdentifier.GetOctets(), Is.EqualTo(expected), "RFC 5280 §4.2.1.2 method 1");
    }

    [Test]
    public void Matches_OwnEcKey_ReturnsTrue()
    {
        Assert.That(_ec.Ca.Matches(_ec.Signer), Is.True);
    }

    [Test]
    public void Matches_OwnRsaKey_ReturnsTrue()
    {
        Assert.That(_rsa.Ca.Matches(_rsa.Signer), Is.True);
    }

    [Test]
    public void Matches_OtherEcKey_ReturnsFalse()
    {
        using var other = new EcdsaCertificateSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        Assert.That(_ec.Ca.Matches(other), Is.False);
    }

    [Test]
    public void Matches_RootKeyForIssuingCa_ReturnsFalse()
    {
        using var rootSigner = new EcdsaCertificateSigner(_ec.Root.GetECDsaPrivateKey()!);

        Assert.That(_ec.Ca.Matches(rootSigner), Is.False);
    }

    [Test]
    public void Matches_OtherRsaKey_ReturnsFalse()
    {
        using var other = new RsaCertificateSigner(RSA.Create(2048));

        Assert.That(_rsa.Ca.Matches(other), Is.False);
    }

    [Test]
    public void Matches_RsaKeyForEcCa_ReturnsFalse()
    {
        // A configuration mistake (the wrong kind of key file) must read as "does not match", not crash start-up.
        using var rsa = new RsaCertificateSigner(RSA.Create(2048));

        Assert.That(_ec.Ca.Matches(rsa), Is.False);
    }

    [Test]
    public void Matches_EcKeyForRsaCa_ReturnsFalse()
    {
        using var ec = new EcdsaCertificateSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        Assert.That(_rsa.Ca.Matches(ec), Is.False);
    }

    [Test]
    public void Constructor_ParentWithSameNameButOtherKey_ThrowsOutOfOrder()
    {
        // A look-alike root (same subject, different key) did not sign the issuing CA: names alone prove nothing.
        using AsymmetricAlgorithm key = TestCertificates.NewKey(TestKeyType.EcP256);
        using X509Certificate2 impostor = TestCertificates.CreateCa(_ec.Root.Subject, key);
        Assert.That(impostor.SubjectName.RawData, Is.EqualTo(_ec.Root.SubjectName.RawData), "precondition: same name");

        Assert.That(() => new IssuingCa([_ec.IssuingCertificate.RawData, impostor.RawData]),
            Throws.ArgumentException.With.Message.Contains("out of order"));
    }

    [Test]
    public void Constructor_CaWithoutKeyCertSign_ThrowsArgumentException()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=CRL-only CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        Assert.That(() => new IssuingCa([ca.RawData]), Throws.ArgumentException.With.Message.Contains("keyCertSign"));
    }
}
