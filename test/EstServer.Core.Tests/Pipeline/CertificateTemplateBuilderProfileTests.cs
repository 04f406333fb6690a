using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using static EstServer.Core.Tests.Support.RequestFactory;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;
using CertificationRequest = EstServer.Core.Csr.CertificationRequest;

namespace EstServer.Core.Tests.Pipeline;

/// <summary>CertificateTemplateBuilder under profiles read from YAML: every rule a profile can state.</summary>
public class CertificateTemplateBuilderProfileTests
{
    /// <summary>O fixed, CN from the CSR (required, with a pattern), serialNumber from the client certificate, OU optional.</summary>
    private const string RulesSubject =
        "  - type: O\n    value: Example Devices\n" +
        "  - type: CN\n    required: true\n    pattern: 'dev-[0-9]{1,4}'\n" +
        "  - type: serialNumber\n    from: clientCertificate\n" +
        "  - type: OU\n";

    private const string DnsRules =
        "  - type: dns\n    pattern: '[a-z0-9-]+\\.devices\\.example\\.com'\n    min: 1\n    max: 2\n" +
        "  - type: ip\n    pattern: '10\\.0\\.0\\.[0-9]+'\n    max: 1\n";

    private static readonly DerObjectIdentifier PrivateExtension = new("1.3.6.1.4.1.99999.7");

    private TestCaHierarchy _pki = null!;
    private ProfileKit _kit = null!;
    private TempDirectory _files = null!;
    private BcCertificate _idevid = null!;
    private DateTimeOffset _now;

    [OneTimeSetUp]
    public void CreatePki()
    {
        _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _pki = TestCaHierarchy.Create(name: "Profile Rules");
        _kit = new ProfileKit();
        _files = new TempDirectory();
        _idevid = Certificate(_pki.Issuer, Name((X509Name.CN, "idevid-7"), (X509Name.SerialNumber, "SN-0007")), null, _now.AddDays(-1), _now.AddYears(1));
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _files.Dispose();
        _kit.Dispose();
        _pki.Dispose();
    }

    // ---- subject -----------------------------------------------------------------------------

    [Test]
    public void Build_SubjectFromCsrFixedAndClientCertificate_WrittenInProfileOrder()
    {
        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.OU, "Lab"), (X509Name.CN, "dev-1"))).Der, Rules());

        Assert.Multiple(() =>
        {
            Assert.That(template.Subject.GetOidList(), Is.EqualTo(new[] { X509Name.O, X509Name.CN, X509Name.SerialNumber, X509Name.OU }));
            Assert.That(template.Subject.GetValueList(), Is.EqualTo(new[] { "Example Devices", "dev-1", "SN-0007", "Lab" }));
        });
    }

    [Test]
    public void Build_OptionalCsrAttributeOmitted_LeftOut()
    {
        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, Rules());

        Assert.That(template.Subject.GetOidList(), Is.EqualTo(new[] { X509Name.O, X509Name.CN, X509Name.SerialNumber }));
    }

    [Test]
    public void Build_CsrRepeatsFixedAndClientValues_Accepted()
    {
        CertificateTemplate template = BuildOk(
            TestCsr.Create(Name((X509Name.O, "Example Devices"), (X509Name.CN, "dev-1"), (X509Name.SerialNumber, "SN-0007"))).Der, Rules());

        Assert.That(template.Subject.GetValueList(), Is.EqualTo(new[] { "Example Devices", "dev-1", "SN-0007" }));
    }

    [Test]
    public void Build_CsrAttributeNotListed_BadRequestNamingIt()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"), (X509Name.L, "Berlin"))).Der, Rules()),
            EstErrorKind.BadRequest, "subject attribute L is not allowed by profile 'rules'");
    }

    [Test]
    public void Build_CsrAttributeTwice_BadRequest()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"), (X509Name.CN, "dev-2"))).Der, Rules()),
            EstErrorKind.BadRequest, "subject attribute CN appears more than once");
    }

    [Test]
    public void Build_RequiredAttributeMissing_BadRequest()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.OU, "Lab"))).Der, Rules()), EstErrorKind.BadRequest, "subject attribute CN is required");
    }

    [TestCase("gateway-1")]
    [TestCase("dev-12345")]
    [TestCase("xdev-1")]
    public void Build_PatternMismatch_BadRequest(string commonName)
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, commonName))).Der, Rules()),
            EstErrorKind.BadRequest, $"subject CN '{commonName}' does not match the profile's pattern ^(?:dev-[0-9]{{1,4}})$");
    }

    [TestCase("Evil Corp")]
    [TestCase("example devices")]
    public void Build_FixedValueDiffers_BadRequest(string organization)
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.O, organization), (X509Name.CN, "dev-1"))).Der, Rules()),
            EstErrorKind.BadRequest, "subject O must be 'Example Devices' (or omitted)");
    }

    [Test]
    public void Build_ClientCertificateValueDiffers_Forbidden()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"), (X509Name.SerialNumber, "SN-9999"))).Der, Rules()),
            EstErrorKind.Forbidden, "subject serialNumber must be the client certificate's ('SN-0007')");
    }

    [Test]
    public void Build_ClientCertificateLacksAttribute_Forbidden()
    {
        BcCertificate withoutSerial = Certificate(_pki.Issuer, Name((X509Name.CN, "idevid-8")), null, _now.AddDays(-1), _now.AddYears(1));

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, Rules(), client: withoutSerial),
            EstErrorKind.Forbidden, "the client certificate has no subject serialNumber to copy into the certificate");
    }

    [Test]
    public void Build_SerialNumberFromCsrAsUtf8String_IssuedSubjectIsValidDer()
    {
        // A device may encode serialNumber as UTF8String; "_" is not a PrintableString character
        // (X.680 §41.4), so the issued name must not put it into one.
        var subject = new X509Name(new[] { X509Name.CN, X509Name.SerialNumber }, new[] { "dev-1", "SN_42" }, new Utf8NameConverter());
        CertificateProfile permissive = _kit.Load(new TestProfile { Name = "permissive" });

        BcCertificate issued = Issue(BuildOk(TestCsr.Create(subject).Der, permissive));

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(issued.GetEncoded());
        Assert.That(() => SubjectValues(certificate.SubjectName.RawData), Throws.Nothing, "every subject value must be a valid string of its ASN.1 type");
        Assert.That(SubjectValues(certificate.SubjectName.RawData), Does.Contain("SN_42"));
    }

    // ---- subjectAltName ----------------------------------------------------------------------

    [Test]
    public void Build_AllowedSubjectAltNames_Kept()
    {
        var names = new GeneralNames([
            new GeneralName(GeneralName.DnsName, "a.devices.example.com"),
            new GeneralName(GeneralName.DnsName, "b.devices.example.com"),
            new GeneralName(GeneralName.IPAddress, "10.0.0.7"),
        ]);

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(names)).Der, Rules(san: DnsRules));

        Assert.That(template.SubjectAltNames!.GetNames(), Is.EqualTo(names.GetNames()));
    }

    [Test]
    public void Build_SubjectAltNameTypeNotAllowed_BadRequest()
    {
        var names = new GeneralNames([new GeneralName(GeneralName.DnsName, "a.devices.example.com"), new GeneralName(GeneralName.Rfc822Name, "dev@example.com")]);

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(names)).Der, Rules(san: DnsRules)),
            EstErrorKind.BadRequest, "subjectAltName email entries are not allowed by profile 'rules'");
    }

    [Test]
    public void Build_SubjectAltNameKindWithoutRuleType_BadRequest()
    {
        var names = new GeneralNames([new GeneralName(GeneralName.DnsName, "a.devices.example.com"), new GeneralName(GeneralName.RegisteredID, "1.2.3.4")]);

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(names)).Der, Rules(san: DnsRules)),
            EstErrorKind.BadRequest, "subjectAltName entries of kind [8] are not allowed by profile 'rules'");
    }

    [TestCase("a.other.org")]
    [TestCase("a.devices.example.com.evil.org")]
    public void Build_SubjectAltNamePatternMismatch_BadRequest(string dns)
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(Dns(dns))).Der, Rules(san: DnsRules)),
            EstErrorKind.BadRequest, $"subjectAltName dns '{dns}' does not match the profile's pattern ^(?:[a-z0-9-]+\\.devices\\.example\\.com)$");
    }

    [Test]
    public void Build_IpAddressPatternMismatch_BadRequestShowingTheAddress()
    {
        var names = new GeneralNames([new GeneralName(GeneralName.DnsName, "a.devices.example.com"), new GeneralName(GeneralName.IPAddress, "192.168.1.1")]);

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(names)).Der, Rules(san: DnsRules)),
            EstErrorKind.BadRequest, "subjectAltName ip '192.168.1.1' does not match the profile's pattern ^(?:10\\.0\\.0\\.[0-9]+)$");
    }

    [Test]
    public void Build_MoreSubjectAltNamesThanMax_BadRequest()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(Dns("a.devices.example.com", "b.devices.example.com", "c.devices.example.com"))).Der, Rules(san: DnsRules)),
            EstErrorKind.BadRequest, "at most 2 subjectAltName dns entries are allowed");
    }

    [Test]
    public void Build_FewerSubjectAltNamesThanMin_BadRequest()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, Rules(san: DnsRules)),
            EstErrorKind.BadRequest, "at least 1 subjectAltName dns entries are required");
    }

    [Test]
    public void Build_SubjectAltNameWhenProfileAllowsNone_BadRequest()
    {
        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(Dns("a.example.com"))).Der, Rules()),
            EstErrorKind.BadRequest, "subjectAltName dns entries are not allowed by profile 'rules'");
    }

    // ---- requested extensions ----------------------------------------------------------------

    [Test]
    public void Build_UnlistedExtensionDefaultReject_BadRequestNamingIt()
    {
        X509Extensions extensions = Extensions((PrivateExtension, false, new DerUtf8String("hello")));

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, extensions).Der, Rules()),
            EstErrorKind.BadRequest, "the CSR requests extension 1.3.6.1.4.1.99999.7, which profile 'rules' does not accept");
    }

    [Test]
    public void Build_ExtensionOnRejectList_BadRequestNamingIt()
    {
        CertificateProfile profile = Rules(extra: "csrExtensions:\n  honour: [subjectAltName]\n  reject: [extendedKeyUsage]\n");
        X509Extensions extensions = Extensions((X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth)));

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, extensions).Der, profile),
            EstErrorKind.BadRequest, "the CSR requests extension extendedKeyUsage, which profile 'rules' does not accept");
    }

    [Test]
    public void Build_IgnoredExtensions_DroppedAndProfileValuesIssued()
    {
        CertificateProfile profile = Rules(extra: "csrExtensions:\n  ignore: [keyUsage, basicConstraints, extendedKeyUsage, 1.3.6.1.4.1.99999.7]\n");
        X509Extensions extensions = Extensions(
            (X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.DigitalSignature)),
            (X509Extensions.BasicConstraints, true, new BasicConstraints(true)),
            (X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_codeSigning)),
            (PrivateExtension, false, new DerUtf8String("hello")));

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, extensions).Der, profile);
        BcCertificate issued = Issue(template);

        Assert.Multiple(() =>
        {
            Assert.That(template.CopiedExtensions, Is.Empty);
            Assert.That(issued.GetBasicConstraints(), Is.EqualTo(-1), "cA stays FALSE");
            Assert.That(issued.GetKeyUsage()[5], Is.False, "no keyCertSign");
            Assert.That(issued.GetExtendedKeyUsage().Select(p => p.Id), Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.2" }), "the profile's EKU only");
            Assert.That(issued.GetExtensionValue(PrivateExtension), Is.Null);
        });
    }

    [Test]
    public void Build_UnlistedExtensionDefaultIgnore_Dropped()
    {
        CertificateProfile profile = Rules(extra: "csrExtensions:\n  default: ignore\n");

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, Extensions((PrivateExtension, true, new DerUtf8String("x")))).Der, profile);

        Assert.That(template.CopiedExtensions, Is.Empty);
    }

    [Test]
    public void Build_HonouredExtension_CopiedOnceWithCriticalityAndParsedByOpenSsl()
    {
        CertificateProfile profile = Rules(extra: "csrExtensions:\n  honour: [subjectAltName, 1.3.6.1.4.1.99999.7]\n");
        var value = new DerUtf8String("device-class-7");

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, Extensions((PrivateExtension, true, value))).Der, profile);
        BcCertificate issued = Issue(template);

        X509Extensions extensions = issued.CertificateStructure.TbsCertificate.Extensions;
        Assert.Multiple(() =>
        {
            Assert.That(template.CopiedExtensions.Select(e => e.Oid), Is.EqualTo(new[] { PrivateExtension.Id }));
            Assert.That(extensions.GetExtensionOids().Count(oid => oid.Equals(PrivateExtension)), Is.EqualTo(1));
            Assert.That(extensions.GetExtension(PrivateExtension).IsCritical, Is.True);
            Assert.That(extensions.GetExtension(PrivateExtension).GetParsedValue(), Is.EqualTo(value), "the value itself, not wrapped again");
        });
        using X509Certificate2 dotnet = X509CertificateLoader.LoadCertificate(issued.GetEncoded());
        Assert.That(dotnet.Extensions[PrivateExtension.Id]!.Critical, Is.True);
        string text = OpenSslText(issued);
        Assert.That(text, Does.Contain("1.3.6.1.4.1.99999.7: critical"));
        Assert.That(text, Does.Contain("device-class-7"));
    }

    // ---- key usage ---------------------------------------------------------------------------

    [TestCase(TestKeyType.Rsa2048, KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment)]
    [TestCase(TestKeyType.EcP256, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement)]
    [TestCase(TestKeyType.EcP384, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement)]
    [TestCase(TestKeyType.Ed25519, KeyUsage.DigitalSignature)]
    public void Build_KeyUsageOfProfile_MaskedToWhatTheKeyCanDo(TestKeyType key, int expected)
    {
        CertificateProfile profile = _kit.Load(new TestProfile { Name = "usages", KeyUsage = "[digitalSignature, keyEncipherment, keyAgreement]" });

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1")), key).Der, profile);

        Assert.That(template.KeyUsage, Is.EqualTo(expected));
        int issuedBits = Issue(template).GetKeyUsage().Take(8).Select((bit, i) => bit ? 0x80 >> i : 0).Sum();
        Assert.That(issuedBits, Is.EqualTo(expected), "the issued keyUsage extension");
    }

    [TestCase("[keyEncipherment]", TestKeyType.EcP256)]
    [TestCase("[keyEncipherment]", TestKeyType.Ed25519)]
    [TestCase("[keyAgreement]", TestKeyType.Rsa2048)]
    public void Build_NoProfileUsageFitsTheKey_NeverIssuesEmptyKeyUsage(string keyUsage, TestKeyType key)
    {
        // RFC 5280 §4.2.1.3: when keyUsage is present, at least one bit MUST be set. Masking the profile's
        // bits to the key type can leave none; that must be refused, not issued.
        // The linter refuses such a profile; built directly, the builder must refuse too.
        int bits = keyUsage.Trim('[', ']').Split(',').Sum(name => ProfileVocabulary.KeyUsages[name.Trim()]);
        CertificateProfile profile = _kit.Load(new TestProfile { Name = "masked" }) with { KeyUsage = bits };

        Result<CertificateTemplate> template = Build(TestCsr.Create(Name((X509Name.CN, "dev-1")), key).Der, profile);

        Assert.That(template.IsSuccess ? template.Value.KeyUsage : -1, Is.Not.Zero,
            "either a refusal or at least one key usage bit; an empty keyUsage extension is not a valid certificate");
    }

    // ---- certificate policies ----------------------------------------------------------------

    [Test]
    public void Build_PolicyWithCpsAndNotice_CertificateCarriesThemExactly()
    {
        const string cps = "https://pki.example.com/cps/devices";
        const string notice = "Issued to test devices under policy 7.";
        CertificateProfile profile = _kit.Load(new TestProfile { Name = "policies", PolicyOid = "2.999.42.7", Cps = cps, Notice = notice });

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile);
        BcCertificate issued = Issue(template);

        X509Extension extension = issued.CertificateStructure.TbsCertificate.Extensions.GetExtension(X509Extensions.CertificatePolicies);
        PolicyInformation[] policies = CertificatePolicies.GetInstance(extension.GetParsedValue()).GetPolicyInformation();
        Assert.That(policies, Has.Length.EqualTo(1));
        Asn1Sequence qualifiers = policies[0].PolicyQualifiers;
        Assert.That(qualifiers, Has.Count.EqualTo(2));
        PolicyQualifierInfo cpsQualifier = PolicyQualifierInfo.GetInstance(qualifiers[0]);
        PolicyQualifierInfo noticeQualifier = PolicyQualifierInfo.GetInstance(qualifiers[1]);
        UserNotice userNotice = UserNotice.GetInstance(noticeQualifier.Qualifier);
        Assert.Multiple(() =>
        {
            Assert.That(template.Policies, Is.EqualTo(new[] { new CertificatePolicy("2.999.42.7", cps, notice) }));
            Assert.That(extension.IsCritical, Is.False);
            Assert.That(policies[0].PolicyIdentifier.Id, Is.EqualTo("2.999.42.7"));
            Assert.That(cpsQualifier.PolicyQualifierId, Is.EqualTo(PolicyQualifierID.IdQtCps));
            Assert.That(DerIA5String.GetInstance(cpsQualifier.Qualifier).GetString(), Is.EqualTo(cps));
            Assert.That(noticeQualifier.PolicyQualifierId, Is.EqualTo(PolicyQualifierID.IdQtUnotice));
            Assert.That(userNotice.NoticeRef, Is.Null);
            Assert.That(userNotice.ExplicitText.ToAsn1Object(), Is.InstanceOf<DerUtf8String>(), "RFC 5280 §4.2.1.4: explicitText SHOULD be UTF8String");
            Assert.That(userNotice.ExplicitText.GetString(), Is.EqualTo(notice));
            Assert.That(extension.Value.GetOctets(), Is.EqualTo(ExpectedPolicies("2.999.42.7", cps, notice)), "byte for byte");
        });

        string[] lines = OpenSslText(issued).Split('\n').Select(line => line.Trim()).ToArray();
        Assert.That(lines, Does.Contain("X509v3 Certificate Policies:"));
        int at = Array.IndexOf(lines, "X509v3 Certificate Policies:");
        Assert.That(lines[(at + 1)..(at + 5)], Is.EqualTo(new[] { "Policy: 2.999.42.7", $"CPS: {cps}", "User Notice:", $"Explicit Text: {notice}" }));
    }

    // ---- serial number -----------------------------------------------------------------------

    [TestCase(9)]
    [TestCase(12)]
    [TestCase(20)]
    public void Build_SerialBytes_IssuedSerialHasThatManyOctets(int octets)
    {
        CertificateProfile profile = _kit.Load(new TestProfile { Name = $"serial-{octets}", Extra = $"serialBytes: {octets}\n" });

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile);

        Assert.That(template.SerialBytes, Is.EqualTo(octets));
        for (int i = 0; i < 3; i++)
        {
            using X509Certificate2 issued = X509CertificateLoader.LoadCertificate(Issue(template).GetEncoded());
            Assert.That(issued.SerialNumberBytes.Length, Is.EqualTo(octets), "DER INTEGER content octets");
            Assert.That(issued.SerialNumberBytes.Span[0] & 0x80, Is.Zero, "positive");
        }
    }

    // ---- re-enrollment -----------------------------------------------------------------------

    [Test]
    public void Build_ReenrollBeforeRenewalWindow_ForbiddenNamingWhenItOpens()
    {
        CertificateProfile profile = _kit.Load(new TestProfile { Name = "window", Reenroll = "  renewalWindow: 5d\n" });
        BcCertificate current = Certificate(_pki.Issuer, Name((X509Name.CN, "dev-1")), null, _now.AddDays(-30), _now.AddDays(10));
        DateTime opens = current.NotAfter.ToUniversalTime() - TimeSpan.FromDays(5);

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile, EnrollmentKind.Reenroll, current),
            EstErrorKind.Forbidden, $"the certificate is not due for renewal yet; profile 'window' accepts re-enrollment from {opens:u}");
    }

    [Test]
    public void Build_ReenrollInsideRenewalWindow_Accepted()
    {
        CertificateProfile profile = _kit.Load(new TestProfile { Name = "window", Reenroll = "  renewalWindow: 5d\n" });
        BcCertificate current = Certificate(_pki.Issuer, Name((X509Name.CN, "dev-1")), null, _now.AddDays(-30), _now.AddDays(4));

        Assert.That(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile, EnrollmentKind.Reenroll, current).IsSuccess, Is.True);
    }

    [Test]
    public void Build_EnrollBeforeRenewalWindow_WindowDoesNotApply()
    {
        CertificateProfile profile = _kit.Load(new TestProfile { Name = "window", Reenroll = "  renewalWindow: 5d\n" });
        BcCertificate identity = Certificate(_pki.Issuer, Name((X509Name.CN, "dev-1")), null, _now.AddDays(-30), _now.AddDays(10));

        Assert.That(Build(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile, EnrollmentKind.Enroll, identity).IsSuccess, Is.True);
    }

    [Test]
    public void Build_ReenrollWithNewSubject_ForbiddenUnlessProfileAllowsIt()
    {
        BcCertificate current = Certificate(_pki.Issuer, Name((X509Name.CN, "dev-1")), null, _now.AddDays(-30), _now.AddDays(30));
        CertificateProfile strict = _kit.Load(new TestProfile { Name = "strict" });
        CertificateProfile relaxed = _kit.Load(new TestProfile { Name = "relaxed", Reenroll = "  allowSubjectChange: true\n" });
        byte[] renamed = TestCsr.Create(Name((X509Name.CN, "dev-2"))).Der;

        Result<CertificateTemplate> refused = Build(renamed, strict, EnrollmentKind.Reenroll, current);
        Result<CertificateTemplate> allowed = Build(renamed, relaxed, EnrollmentKind.Reenroll, current);

        AssertRefused(refused, EstErrorKind.Forbidden, "re-enrollment must keep the subject of the current certificate (CN=dev-1); the CSR asks for (CN=dev-2)");
        Assert.That(allowed.IsSuccess, Is.True, allowed.Error?.Reason);
        Assert.That(allowed.Value.Subject.GetValueList(), Is.EqualTo(new[] { "dev-2" }));
    }

    [Test]
    public void Build_ReenrollWithSubjectChangeAllowed_SubjectRulesStillApply()
    {
        CertificateProfile profile = Rules(reenroll: "  allowSubjectChange: true\n");
        BcCertificate current = Issue(BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, Rules()));

        AssertRefused(Build(TestCsr.Create(Name((X509Name.CN, "intruder"))).Der, profile, EnrollmentKind.Reenroll, current),
            EstErrorKind.BadRequest, "subject CN 'intruder' does not match the profile's pattern ^(?:dev-[0-9]{1,4})$");
    }

    [Test]
    public void Build_ReenrollCsrOmitsServerFilledAttributes_SameNames()
    {
        CertificateProfile profile = Rules();
        BcCertificate current = Issue(BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile));

        Result<CertificateTemplate> renewal = Build(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile, EnrollmentKind.Reenroll, current);

        Assert.That(renewal.IsSuccess, Is.True, renewal.Error?.Reason);
        Assert.That(renewal.Value.Subject.Equivalent(current.SubjectDN, inOrder: true), Is.True);
    }

    [Test]
    public void Build_ReenrollCsrRepeatsEveryAttribute_SameNames()
    {
        CertificateProfile profile = Rules(san: DnsRules);
        GeneralNames names = Dns("a.devices.example.com");
        BcCertificate current = Issue(BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1")), TestKeyType.EcP256, SubjectAltName(names)).Der, profile));
        byte[] repeat = TestCsr.Create(
            Name((X509Name.O, "Example Devices"), (X509Name.CN, "dev-1"), (X509Name.SerialNumber, "SN-0007")),
            TestKeyType.EcP256,
            SubjectAltName(Dns("A.Devices.Example.com"))).Der;

        Result<CertificateTemplate> renewal = Build(repeat, Rules(san: "  - type: dns\n    max: 2\n"), EnrollmentKind.Reenroll, current);

        Assert.That(renewal.IsSuccess, Is.True, renewal.Error?.Reason);
    }

    [Test]
    public void Build_ReenrollCsrWithOtherCommonName_Forbidden()
    {
        CertificateProfile profile = Rules();
        BcCertificate current = Issue(BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile));

        Result<CertificateTemplate> renewal = Build(TestCsr.Create(Name((X509Name.CN, "dev-2"))).Der, profile, EnrollmentKind.Reenroll, current);

        Assert.That(renewal.IsSuccess, Is.False);
        Assert.That(renewal.Error!.Kind, Is.EqualTo(EstErrorKind.Forbidden));
        Assert.That(renewal.Error.Reason, Does.StartWith("re-enrollment must keep the subject of the current certificate"));
    }

    [Test]
    public void Build_Always_RecordsProfileNameAndVersion()
    {
        CertificateProfile profile = Rules();

        CertificateTemplate template = BuildOk(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der, profile);

        Assert.That(template.Profile, Is.EqualTo($"rules@{profile.Version}"));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private CertificateProfile Rules(string san = "", string extra = "", string reenroll = "") =>
        _kit.Load(new TestProfile { Name = "rules", Subject = RulesSubject, SubjectAltName = san, Extra = extra, Reenroll = reenroll });

    private Result<CertificateTemplate> Build(byte[] csrDer, CertificateProfile profile, EnrollmentKind kind = EnrollmentKind.Enroll, BcCertificate? client = null)
    {
        CertificationRequest csr = Decode(csrDer);
        return CertificateTemplateBuilder.Build(csr, profile, kind, client ?? _idevid, _pki.Ca, _now);
    }

    private CertificateTemplate BuildOk(byte[] csrDer, CertificateProfile profile)
    {
        Result<CertificateTemplate> template = Build(csrDer, profile);
        Assert.That(template.IsSuccess, Is.True, template.Error?.Reason);
        return template.Value;
    }

    private BcCertificate Issue(CertificateTemplate template) => new(_pki.Issuer.Issue(template).Der);

    private string OpenSslText(BcCertificate certificate) =>
        OpenSsl.RunOk("x509", "-in", _files.Write($"{Guid.NewGuid():N}.pem", TestCertificates.Pem(certificate.GetEncoded())), "-noout", "-text");

    /// <summary>The certificatePolicies value RFC 5280 §4.2.1.4 prescribes, written independently with AsnWriter.</summary>
    private static byte[] ExpectedPolicies(string oid, string cps, string notice)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.3.6.1.5.5.7.2.1");
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, cps);
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.3.6.1.5.5.7.2.2");
                    using (writer.PushSequence())
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, notice);
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>Every attribute value of a Name, read strictly (a string type holding characters it cannot hold throws).</summary>
    private static List<string> SubjectValues(byte[] name)
    {
        var values = new List<string>();
        AsnReader rdns = new AsnReader(name, AsnEncodingRules.DER).ReadSequence();
        while (rdns.HasData)
        {
            AsnReader set = rdns.ReadSetOf();
            while (set.HasData)
            {
                AsnReader attribute = set.ReadSequence();
                attribute.ReadObjectIdentifier();
                Asn1Tag tag = attribute.PeekTag();
                values.Add(attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue));
            }
        }

        return values;
    }

    private static void AssertRefused(Result<CertificateTemplate> result, EstErrorKind kind, string reason)
    {
        Assert.That(result.IsSuccess, Is.False, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Kind, Is.EqualTo(kind));
            Assert.That(result.Error.Reason, Is.EqualTo(reason));
        });
    }
}
