using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EstServer.Core.Tests.Pipeline;

public class CertificateTemplateBuilderTests
{
    private TestCaHierarchy _pki = null!;
    private BcCertificate _client = null!;
    private CertificateProfile _profile = null!;
    private DateTimeOffset _now;

    [OneTimeSetUp]
    public void CreateCa()
    {
        // A fraction of a second, so that truncation to whole seconds is visible.
        _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMilliseconds(750);
        _pki = TestCaHierarchy.Create(name: "Template");
        using X509Certificate2 client = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=device-7, O=EstServer Tests", dnsNames: ["device-7.example"]);
        _client = new BcCertificate(client.RawData);
        _profile = ModelProfiles.Device("devices", new TrustAnchors("none", []));
    }

    [OneTimeTearDown]
    public void DisposeCa() => _pki.Dispose();

    [Test]
    public void Build_EcCsr_TemplateTakesNamesAndKeyFromCsrAndUsagesFromProfile()
    {
        CertificationRequest csr = Decode(TestCsr.Create("CN=template-device", TestKeyType.EcP256, ["template.example"]));

        CertificateTemplate template = Build(csr);

        Assert.Multiple(() =>
        {
            Assert.That(template.Subject.Equivalent(csr.Subject, inOrder: true), Is.True);
            Assert.That(template.PublicKey.GetDerEncoded(), Is.EqualTo(csr.PublicKeyInfo.GetDerEncoded()));
            Assert.That(template.SubjectAltNames, Is.SameAs(csr.SubjectAltNames));
            Assert.That(template.KeyUsage, Is.EqualTo(KeyUsage.DigitalSignature));
            Assert.That(template.ExtendedKeyUsages, Is.EqualTo(new[] { CertificateProfile.ClientAuthOid }));
        });
    }

    [Test]
    public void Build_SubSecondNow_ValidityIsWholeSecondsWithBackdate()
    {
        CertificateTemplate template = Build(Decode(TestCsr.Create("CN=times")));

        DateTime wholeSecond = DateTimeOffset.FromUnixTimeSeconds(_now.ToUnixTimeSeconds()).UtcDateTime;
        Assert.Multiple(() =>
        {
            Assert.That(template.NotBefore, Is.EqualTo(wholeSecond - TimeSpan.FromMinutes(5)));
            Assert.That(template.NotAfter, Is.EqualTo(wholeSecond + TimeSpan.FromDays(365)));
            Assert.That(template.NotBefore.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(template.NotAfter.Kind, Is.EqualTo(DateTimeKind.Utc));
        });
    }

    [Test]
    public void Build_CustomValidityAndBackdate_AreApplied()
    {
        CertificateProfile profile = _profile with { Validity = TimeSpan.FromDays(7), Backdate = TimeSpan.FromHours(1) };

        CertificateTemplate template = Build(Decode(TestCsr.Create("CN=week")), profile);

        DateTime wholeSecond = DateTimeOffset.FromUnixTimeSeconds(_now.ToUnixTimeSeconds()).UtcDateTime;
        Assert.Multiple(() =>
        {
            Assert.That(template.NotBefore, Is.EqualTo(wholeSecond.AddHours(-1)));
            Assert.That(template.NotAfter, Is.EqualTo(wholeSecond.AddDays(7)));
        });
    }

    [Test]
    public void Build_CaAlreadyExpired_ReturnsUnavailableWithRetryAfter()
    {
        DateTimeOffset afterCa = new DateTimeOffset(_pki.Ca.NotAfter, TimeSpan.Zero).AddSeconds(1);

        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(
            Decode(TestCsr.Create("CN=late")), _profile, EnrollmentKind.Enroll, _client, _pki.Ca, afterCa);

        Assert.That(template.IsSuccess, Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(template.Error!.Kind, Is.EqualTo(EstErrorKind.Unavailable));
            Assert.That(template.Error.Reason, Does.Contain("expired"));
            Assert.That(template.Error.RetryAfter, Is.EqualTo(TimeSpan.FromHours(1)));
        });
    }

    [Test]
    public void Build_RsaCsr_KeyUsageAddsKeyEncipherment()
    {
        CertificateTemplate template = Build(Decode(TestCsr.Create("CN=rsa", TestKeyType.Rsa2048)));

        Assert.That(template.KeyUsage, Is.EqualTo(KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
    }

    [Test]
    public void Build_RsaCsrProfileWithoutKeyEncipherment_DigitalSignatureOnly()
    {
        CertificateTemplate template = Build(Decode(TestCsr.Create("CN=rsa", TestKeyType.Rsa2048)), _profile with { KeyUsage = KeyUsage.DigitalSignature });

        Assert.That(template.KeyUsage, Is.EqualTo(KeyUsage.DigitalSignature));
    }

    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Ed25519)]
    public void Build_NonRsaCsr_NoKeyEncipherment(TestKeyType keyType)
    {
        CertificateTemplate template = Build(Decode(TestCsr.Create("CN=non-rsa", keyType)));

        Assert.That(template.KeyUsage & KeyUsage.KeyEncipherment, Is.Zero);
    }

    [Test]
    public void Build_NoSubjectAndNoSan_ReturnsBadRequest()
    {
        Result<CertificateTemplate> template = TryBuild(Decode(TestCsr.Create(string.Empty)));

        AssertError(template, EstErrorKind.BadRequest, "neither a subject nor a subjectAltName");
    }

    [Test]
    public void Build_NoSubjectButSan_Succeeds()
    {
        Result<CertificateTemplate> template = TryBuild(Decode(TestCsr.Create(string.Empty, dnsNames: ["san-only.example"])));

        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);
    }

    [Test]
    public void Build_ReenrollWithDifferentSubject_ReturnsForbidden()
    {
        Result<CertificateTemplate> template = TryBuild(
            Decode(TestCsr.Create("CN=device-8, O=EstServer Tests", dnsNames: ["device-7.example"])), kind: EnrollmentKind.Reenroll);

        AssertError(template, EstErrorKind.Forbidden, "subject");
    }

    [Test]
    public void Build_ReenrollWithSameNames_Succeeds()
    {
        Result<CertificateTemplate> template = TryBuild(
            Decode(TestCsr.Create("CN=device-7, O=EstServer Tests", dnsNames: ["device-7.example"])), kind: EnrollmentKind.Reenroll);

        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);
    }

    [Test]
    public void Build_EnrollWithNamesUnlikeClientCertificate_Succeeds()
    {
        // Initial enrollment authenticates with a device identity whose names need not carry over.
        Result<CertificateTemplate> template = TryBuild(Decode(TestCsr.Create("CN=operational-name", dnsNames: ["other.example"])));

        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);
    }

    private CertificateTemplate Build(CertificationRequest csr, CertificateProfile? profile = null)
    {
        Result<CertificateTemplate> template = TryBuild(csr, profile);
        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);
        return template.Value;
    }

    private Result<CertificateTemplate> TryBuild(CertificationRequest csr, CertificateProfile? profile = null, EnrollmentKind kind = EnrollmentKind.Enroll) =>
        CertificateTemplateBuilder.Build(csr, profile ?? _profile, kind, _client, _pki.Ca, _now);

    private static CertificationRequest Decode(TestCsr csr)
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(csr.Der);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        return result.Value;
    }

    private static void AssertError<T>(Result<T> result, EstErrorKind kind, string reasonFragment)
    {
        Assert.That(result.IsSuccess, Is.False, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Kind, Is.EqualTo(kind));
            Assert.That(result.Error.Reason, Does.Contain(reasonFragment));
        });
    }
}
