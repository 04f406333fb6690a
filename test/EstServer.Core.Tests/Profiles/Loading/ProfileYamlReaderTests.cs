using System.Security.Cryptography;
using System.Text;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Profiles.Loading;

public class ProfileYamlReaderTests
{
    /// <summary>The smallest valid profile; tests change one line of it, so the line numbers below hold.</summary>
    private const string Minimal =
        "name: sample\n" +                         // 1
        "labels: [sample]\n" +                     // 2
        "policies:\n" +                            // 3
        "  - oid: 2.999.1.1\n" +                   // 4
        "validity: 30d\n" +                        // 5
        "keyUsage: [digitalSignature]\n" +         // 6
        "keys:\n" +                                // 7
        "  ec: [P-256]\n" +                        // 8
        "subject:\n" +                             // 9
        "  - type: CN\n" +                         // 10
        "enroll:\n" +                              // 11
        "  trustAnchors: [dev:manufacturer]\n";    // 12

    private ProfileKit _kit = null!;

    [OneTimeSetUp]
    public void CreateKit() => _kit = new ProfileKit(issuingCaLifetime: TimeSpan.FromDays(1000));

    [OneTimeTearDown]
    public void DisposeKit() => _kit.Dispose();

    [Test]
    public void Read_MinimalProfile_NoDiagnosticsAndDefaults()
    {
        ProfileRead read = _kit.Read(Minimal);

        Assert.That(read.Diagnostics, Is.Empty);
        CertificateProfile profile = read.File.Profile!;
        Assert.Multiple(() =>
        {
            Assert.That(profile.Name, Is.EqualTo("sample"));
            Assert.That(profile.Description, Is.Empty);
            Assert.That(profile.Labels, Is.EqualTo(new[] { "sample" }));
            Assert.That(profile.ServesUnlabelled, Is.False);
            Assert.That(profile.Backdate, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(profile.SerialBytes, Is.EqualTo(16));
            Assert.That(profile.ExtendedKeyUsages, Is.Empty, "no extendedKeyUsage field, no EKU");
            Assert.That(profile.BasicConstraintsCritical, Is.True);
            Assert.That(profile.Keys.AllowRsa, Is.False, "rsa omitted: RSA refused");
            Assert.That(profile.Keys.AllowEd25519, Is.False);
            Assert.That(profile.SubjectAltNameRules, Is.Empty, "subjectAltName omitted: none allowed");
            Assert.That(profile.CsrExtensions, Is.SameAs(CsrExtensionPolicy.DeviceDefault));
            Assert.That(profile.Reenroll, Is.SameAs(ReenrollPolicy.Default));
            Assert.That(profile.SourceFile, Is.EqualTo(read.Path));
        });
    }

    [Test]
    public void Read_EveryFieldSet_EveryFieldMapped()
    {
        using TestCaHierarchy chain = TestCaHierarchy.Create(name: "Reader Anchor");
        _kit.NewDirectory("anchors");
        _kit.NewDirectory("profiles");
        _kit.Directory.Write("anchors/chain.pem", TestCertificates.Pem(chain.IssuingCertificate) + TestCertificates.Pem(chain.Root));
        const string yaml = """
            # every field
            name: full-profile
            description: Every field set
            labels: [full, full-alt]
            default: true
            policies:
              - oid: 2.999.7.1
                cps: https://pki.example.com/cps/full
                notice: Issued for the full test.
              - oid: 2.999.7.2
            validity: 90d
            backdate: 2h
            serialBytes: 12
            keyUsage: [digitalSignature, nonRepudiation, keyAgreement]
            extendedKeyUsage: [serverAuth, clientAuth, 1.3.6.1.5.5.7.3.17]
            basicConstraintsCritical: false
            keys:
              ec: [P-256, P-521]
              rsa: { minBits: 3072, maxBits: 4096 }
              ed25519: true
            subject:
              - type: C
                value: DE
              - type: O
                from: clientCertificate
              - type: CN
                required: true
                pattern: 'dev-[0-9]+'
              - type: OU
                from: csr
              - type: 1.3.6.1.4.1.99999.1
            subjectAltName:
              - type: dns
                pattern: '[a-z0-9-]+\.example\.com'
                min: 1
                max: 3
              - type: ip
              - type: email
                min: 2
            csrExtensions:
              honour: [subjectAltName, 1.3.6.1.4.1.99999.7]
              ignore: [keyUsage]
              reject: [subjectDirectoryAttributes]
              default: ignore
            enroll:
              trustAnchors:
                - ../anchors/chain.pem
                - dev:manufacturer
            reenroll:
              renewalWindow: 10d
              gracePeriod: 3d
              allowSubjectChange: true

            """;

        ProfileRead read = _kit.Read(yaml, "profiles/full.yaml");

        Assert.That(read.Diagnostics, Is.Empty);
        CertificateProfile profile = read.File.Profile!;
        Assert.Multiple(() =>
        {
            Assert.That(profile.Name, Is.EqualTo("full-profile"));
            Assert.That(profile.Description, Is.EqualTo("Every field set"));
            Assert.That(profile.Labels, Is.EqualTo(new[] { "full", "full-alt" }));
            Assert.That(profile.ServesUnlabelled, Is.True);
            Assert.That(profile.Version, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..12]));
            Assert.That(profile.SourceFile, Is.EqualTo(read.Path));
            Assert.That(profile.Policies, Is.EqualTo(new[]
            {
                new CertificatePolicy("2.999.7.1", "https://pki.example.com/cps/full", "Issued for the full test."),
                new CertificatePolicy("2.999.7.2"),
            }));
            Assert.That(profile.Validity, Is.EqualTo(TimeSpan.FromDays(90)));
            Assert.That(profile.Backdate, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(profile.SerialBytes, Is.EqualTo(12));
            Assert.That(profile.KeyUsage, Is.EqualTo(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation | KeyUsage.KeyAgreement));
            Assert.That(profile.ExtendedKeyUsages, Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.17" }));
            Assert.That(profile.BasicConstraintsCritical, Is.False);
            Assert.That(profile.Keys.AllowedCurves, Is.EquivalentTo(new[] { "P-256", "P-521" }));
            Assert.That(profile.Keys.AllowRsa, Is.True);
            Assert.That(profile.Keys.MinRsaBits, Is.EqualTo(3072));
            Assert.That(profile.Keys.MaxRsaBits, Is.EqualTo(4096));
            Assert.That(profile.Keys.AllowEd25519, Is.True);
        });

        IReadOnlyList<SubjectAttributeRule> subject = profile.SubjectRules!;
        Assert.That(subject, Has.Count.EqualTo(5));
        Assert.Multiple(() =>
        {
            Assert.That(subject.Select(r => (r.Oid, r.Name, r.Source, r.Required, r.FixedValue)), Is.EqualTo(new[]
            {
                ("2.5.4.6", "C", SubjectValueSource.Fixed, false, (string?)"DE"),
                ("2.5.4.10", "O", SubjectValueSource.ClientCertificate, false, null),
                ("2.5.4.3", "CN", SubjectValueSource.Csr, true, null),
                ("2.5.4.11", "OU", SubjectValueSource.Csr, false, null),
                ("1.3.6.1.4.1.99999.1", "1.3.6.1.4.1.99999.1", SubjectValueSource.Csr, false, null),
            }));
            Assert.That(subject[2].Pattern!.IsMatch("dev-42"), Is.True);
            Assert.That(subject[2].Pattern!.IsMatch("xdev-42"), Is.False, "patterns are anchored at the start");
            Assert.That(subject[2].Pattern!.IsMatch("dev-42x"), Is.False, "patterns are anchored at the end");
            Assert.That(subject[0].Pattern, Is.Null);
        });

        IReadOnlyList<SubjectAltNameRule> sans = profile.SubjectAltNameRules!;
        Assert.Multiple(() =>
        {
            Assert.That(sans.Select(r => (r.Type, r.Min, r.Max)), Is.EqualTo(new[]
            {
                (SubjectAltNameType.Dns, 1, 3),
                (SubjectAltNameType.Ip, 0, 1),
                (SubjectAltNameType.Email, 2, 2),
            }));
            Assert.That(sans[0].Pattern!.IsMatch("a-1.example.com"), Is.True);
            Assert.That(sans[0].Pattern!.IsMatch("a.example.com.evil.org"), Is.False);
            Assert.That(sans[1].Pattern, Is.Null);
        });

        Assert.Multiple(() =>
        {
            Assert.That(profile.CsrExtensions.Actions, Is.EquivalentTo(new Dictionary<string, CsrExtensionAction>
            {
                ["2.5.29.17"] = CsrExtensionAction.Honour,
                ["1.3.6.1.4.1.99999.7"] = CsrExtensionAction.Honour,
                ["2.5.29.15"] = CsrExtensionAction.Ignore,
                ["2.5.29.9"] = CsrExtensionAction.Reject,
            }));
            Assert.That(profile.CsrExtensions.Default, Is.EqualTo(CsrExtensionAction.Ignore));
            Assert.That(profile.DeviceIdentityAnchors.Description, Is.EqualTo("../anchors/chain.pem, dev:manufacturer"));
            Assert.That(profile.DeviceIdentityAnchors.Roots.Select(c => c.Thumbprint),
                Is.EquivalentTo(new[] { chain.Root.Thumbprint, _kit.ManufacturerRoot.Thumbprint }), "resolved relative to the profile file");
            Assert.That(profile.DeviceIdentityAnchors.Intermediates.Select(c => c.Thumbprint), Is.EqualTo(new[] { chain.IssuingCertificate.Thumbprint }));
            Assert.That(profile.Reenroll.RenewalWindow, Is.EqualTo(TimeSpan.FromDays(10)));
            Assert.That(profile.Reenroll.GracePeriod, Is.EqualTo(TimeSpan.FromDays(3)));
            Assert.That(profile.Reenroll.AllowSubjectChange, Is.True);
        });
    }

    [Test]
    public void Read_SameTextTwice_SameVersionAndAnEditChangesIt()
    {
        string first = _kit.Read(Minimal).File.Profile!.Version;
        string again = _kit.Read(Minimal).File.Profile!.Version;
        string edited = _kit.Read(With("validity: 30d", "validity: 31d")).File.Profile!.Version;

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Match("^[0-9a-f]{12}$"));
            Assert.That(again, Is.EqualTo(first));
            Assert.That(edited, Is.Not.EqualTo(first));
        });
    }

    [TestCase("s", 1)]
    [TestCase("m", 60)]
    [TestCase("h", 3600)]
    [TestCase("d", 86400)]
    [TestCase("w", 604800)]
    public void Read_ValidityUnits_Converted(string unit, int seconds)
    {
        CertificateProfile profile = _kit.Load(With("validity: 30d", $"validity: 2{unit}"));

        Assert.That(profile.Validity, Is.EqualTo(TimeSpan.FromSeconds(2 * seconds)));
    }

    [Test]
    public void Read_ContentCommitmentName_IsNonRepudiationBit()
    {
        CertificateProfile profile = _kit.Load(With("keyUsage: [digitalSignature]", "keyUsage: [contentCommitment]"));

        Assert.That(profile.KeyUsage, Is.EqualTo(KeyUsage.NonRepudiation));
    }

    [Test]
    public void Read_BoundaryValues_Accepted()
    {
        string yaml = With("validity: 30d", "validity: 1000d\nbackdate: 1d\nserialBytes: 9") + "reenroll:\n  renewalWindow: 1s\n";
        string notice = new('n', 200);
        string yaml20 = With("validity: 30d", "validity: 30d\nserialBytes: 20").Replace("  - oid: 2.999.1.1\n", $"  - oid: 2.999.1.1\n    notice: {notice}\n", StringComparison.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(_kit.Read(yaml).Diagnostics, Is.Empty, "validity equal to the CA lifetime, backdate 1d, 9 serial octets");
            Assert.That(_kit.Read(yaml20).Diagnostics, Is.Empty, "20 serial octets, a 200-character notice");
        });
    }

    // ---- one test per validation rule: rule, message and where -----------------------------

    [Test]
    public void Read_YamlSyntaxError_ReportedWhereTheParserStopped()
    {
        ProfileRead read = _kit.Read(With("labels: [sample]", "labels: [sample]: x"));

        Assert.That(read.Diagnostics, Has.Count.EqualTo(1));
        ProfileDiagnostic diagnostic = read.Diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Rule, Is.EqualTo("yaml"));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((2, 17)));
            Assert.That(diagnostic.Message, Does.Not.Contain("\n"), "one line per problem");
            Assert.That(read.File.Profile, Is.Null);
        });
    }

    [TestCase("- name: a\n- name: b\n", TestName = "Read_TopLevelList_NotAMappingAt1x1")]
    [TestCase("just a sentence\n", TestName = "Read_TopLevelScalar_NotAMappingAt1x1")]
    [TestCase("", TestName = "Read_EmptyFile_NotAMappingAt1x1")]
    [TestCase("name: a\n---\nname: b\n", TestName = "Read_TwoDocuments_NotAMappingAt1x1")]
    public void Read_NotOneMapping_Reported(string yaml)
    {
        AssertSingle(_kit.Read(yaml), "yaml", "a profile file holds exactly one YAML mapping (name: ..., policies: ..., ...)", 1, 1);
    }

    [Test]
    public void Read_MisspeltTopLevelField_UnknownFieldAtTheKeyAndMissingRequired()
    {
        ProfileRead read = _kit.Read(With("validity: 30d", "valdity: 30d"));

        Assert.That(read.Diagnostics, Is.EqualTo(new[]
        {
            new ProfileDiagnostic(read.Path, 5, 1, "unknown-field",
                "unknown field 'valdity' in profile (allowed: name, description, labels, default, policies, validity, backdate, serialBytes, keyUsage, extendedKeyUsage, basicConstraintsCritical, keys, subject, subjectAltName, csrExtensions, enroll, reenroll)"),
            new ProfileDiagnostic(read.Path, 1, 1, "validity", "missing required field 'validity' (e.g. validity: 365d)"),
        }).AsCollection);
    }

    [Test]
    public void Read_MisspeltNestedField_UnknownFieldAtTheKey()
    {
        ProfileRead read = _kit.Read(With("  ec: [P-256]", "  ec: [P-256]\n  ed2519: true"));

        AssertSingle(read, "unknown-field", "unknown field 'ed2519' in keys (allowed: ec, rsa, ed25519)", 9, 3);
    }

    [TestCase("name: sample\n", "name", "missing required field 'name'")]
    [TestCase("policies:\n  - oid: 2.999.1.1\n", "policies", "missing required field 'policies': every certificate must name the policy it is issued under")]
    [TestCase("validity: 30d\n", "validity", "missing required field 'validity' (e.g. validity: 365d)")]
    [TestCase("keyUsage: [digitalSignature]\n", "keyUsage", "missing required field 'keyUsage' (e.g. [digitalSignature])")]
    [TestCase("keys:\n  ec: [P-256]\n", "keys", "missing required field 'keys' (allowed key algorithms: ec, rsa, ed25519)")]
    [TestCase("subject:\n  - type: CN\n", "subject", "missing required field 'subject' (the attributes the issued subject may carry)")]
    [TestCase("enroll:\n  trustAnchors: [dev:manufacturer]\n", "enroll.trustAnchors", "missing required field 'enroll' with the trustAnchors that may simpleenroll under this profile")]
    public void Read_RequiredFieldMissing_ReportedAtTheProfileMapping(string removed, string rule, string message)
    {
        // A comment first, so the mapping (where a missing field is reported) starts on line 2.
        AssertSingle(_kit.Read("# sample profile\n" + With(removed, "")), rule, message, 2, 1);
    }

    [TestCase("policies: []", "policies", "at least one policy is required", 3, 11)]
    [TestCase("keyUsage: []", "keyUsage", "at least one key usage is required", 6, 11)]
    [TestCase("  trustAnchors: []", "enroll.trustAnchors", "at least one trust anchor (a PEM file of a device-identity CA) is required", 12, 17)]
    public void Read_RequiredListEmpty_Reported(string line, string rule, string message, int lineNumber, int column)
    {
        string yaml = line.StartsWith("policies", StringComparison.Ordinal)
            ? With("policies:\n  - oid: 2.999.1.1", line + "\n#")
            : With(line.StartsWith("keyUsage", StringComparison.Ordinal) ? "keyUsage: [digitalSignature]" : "  trustAnchors: [dev:manufacturer]", line);

        AssertSingle(_kit.Read(yaml), rule, message, lineNumber, column);
    }

    [TestCase("bad name!")]
    [TestCase("a/b")]
    [TestCase("..")]
    public void Read_BadName_Reported(string name)
    {
        AssertSingle(_kit.Read(With("name: sample", $"name: '{name}'")), "name",
            $"profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'", 1, 7);
    }

    [Test]
    public void Read_NameOf65Characters_Reported()
    {
        string name = new('n', 65);

        AssertSingle(_kit.Read(With("name: sample", $"name: {name}")), "name", $"profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'", 1, 7);
    }

    [Test]
    public void Read_BadLabel_ReportedAtTheLabel()
    {
        AssertSingle(_kit.Read(With("labels: [sample]", "labels: [sample, a/b]")), "labels",
            "label 'a/b' must be one URL path segment of letters, digits, '.', '_' or '-'", 2, 18);
    }

    [TestCase("cacerts")]
    [TestCase("simpleenroll")]
    [TestCase("simplereenroll")]
    [TestCase("csrattrs")]
    [TestCase("serverkeygen")]
    [TestCase("fullcmc")]
    public void Read_OperationNameAsLabel_Reported(string label)
    {
        AssertSingle(_kit.Read(With("labels: [sample]", $"labels: [{label}]")), "labels", $"label '{label}' is an EST operation name", 2, 10);
    }

    [TestCase("1.2.abc")]
    [TestCase("3.1.2")]
    [TestCase("1")]
    [TestCase("1.02.3")]
    [TestCase("1..2")]
    public void Read_BadPolicyOid_Reported(string oid)
    {
        AssertSingle(_kit.Read(With("  - oid: 2.999.1.1", $"  - oid: '{oid}'")), "policies.oid",
            $"'{oid}' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)", 4, 10);
    }

    [Test]
    public void Read_PolicyListedTwice_ReportedAtTheSecond()
    {
        AssertSingle(_kit.Read(With("  - oid: 2.999.1.1", "  - oid: 2.999.1.1\n  - oid: 2.999.1.1")), "policies.oid", "policy 2.999.1.1 is listed twice", 5, 10);
    }

    [TestCase("ftp://pki.example.com/cps")]
    [TestCase("pki.example.com/cps")]
    [TestCase("file:///etc/cps")]
    public void Read_NonHttpCps_Reported(string cps)
    {
        AssertSingle(_kit.Read(With("  - oid: 2.999.1.1", $"  - oid: 2.999.1.1\n    cps: {cps}")), "policies.cps",
            $"cps '{cps}' must be an absolute http or https URI", 5, 10);
    }

    [Test]
    public void Read_NoticeOver200Characters_Reported()
    {
        AssertSingle(_kit.Read(With("  - oid: 2.999.1.1", $"  - oid: 2.999.1.1\n    notice: {new string('n', 201)}")), "policies.notice",
            "notice must be 1-200 characters (RFC 5280 §4.2.1.4)", 5, 13);
    }

    [TestCase("0d")]
    [TestCase("0s")]
    public void Read_ValidityZero_Reported(string validity)
    {
        AssertSingle(_kit.Read(With("validity: 30d", $"validity: {validity}")), "validity", "validity must be longer than zero", 5, 11);
    }

    [Test]
    public void Read_ValidityOverCaLifetime_Reported()
    {
        ProfileLoadContext context = _kit.Context with { IssuingCaLifetime = TimeSpan.FromDays(10) };

        AssertSingle(_kit.Read(Minimal, context: context), "validity", "validity 30d is longer than the issuing CA's own validity (10 days)", 5, 11);
    }

    [Test]
    public void Read_ValidityWithoutKnownCaLifetime_NotLimited()
    {
        ProfileLoadContext context = _kit.Context with { IssuingCaLifetime = null };

        Assert.That(_kit.Read(With("validity: 30d", "validity: 100000d"), context: context).Diagnostics, Is.Empty);
    }

    [TestCase("backdate: 5x")]
    [TestCase("backdate: 5 m")]
    [TestCase("backdate: -5m")]
    [TestCase("backdate: 1.5h")]
    [TestCase("backdate: m")]
    [TestCase("backdate: 100001d")]
    public void Read_BadDuration_Reported(string line)
    {
        string text = line["backdate: ".Length..];

        AssertSingle(_kit.Read(With("validity: 30d", "validity: 30d\n" + line)), "backdate",
            $"'{text}' is not a duration (a number and a unit: s, m, h, d, w; e.g. 365d)", 6, 11);
    }

    [Test]
    public void Read_ValidityNotADuration_OnlyTheDurationProblemReported()
    {
        // "1y" is one mistake; a second message claiming the validity is zero would mislead.
        AssertSingle(_kit.Read(With("validity: 30d", "validity: 1y")), "validity",
            "'1y' is not a duration (a number and a unit: s, m, h, d, w; e.g. 365d)", 5, 11);
    }

    [Test]
    public void Read_BackdateOverOneDay_Reported()
    {
        AssertSingle(_kit.Read(With("validity: 30d", "validity: 30d\nbackdate: 25h")), "backdate", "backdate must be at most 1d", 6, 11);
    }

    [TestCase(8)]
    [TestCase(21)]
    [TestCase(0)]
    public void Read_SerialBytesOutOfRange_Reported(int serialBytes)
    {
        AssertSingle(_kit.Read(With("validity: 30d", $"validity: 30d\nserialBytes: {serialBytes}")), "serialBytes",
            "serialBytes must be 9 to 20 (RFC 5280 §4.1.2.2 allows 20; 9 octets carry more than the 64 random bits the CA/B Forum asks for)", 6, 14);
    }

    [Test]
    public void Read_SerialBytesNotANumber_Reported()
    {
        AssertSingle(_kit.Read(With("validity: 30d", "validity: 30d\nserialBytes: sixteen")), "serialBytes", "'sixteen' is not a whole number", 6, 14);
    }

    [Test]
    public void Read_UnknownKeyUsage_Reported()
    {
        AssertSingle(_kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature, signing]")), "keyUsage",
            "unknown key usage 'signing' (known: digitalSignature, nonRepudiation, contentCommitment, keyEncipherment, dataEncipherment, keyAgreement, encipherOnly, decipherOnly)", 6, 30);
    }

    [TestCase("keyCertSign")]
    [TestCase("cRLSign")]
    public void Read_CaKeyUsage_RefusedAsEndEntityOnly(string usage)
    {
        AssertSingle(_kit.Read(With("keyUsage: [digitalSignature]", $"keyUsage: [digitalSignature, {usage}]")), "keyUsage",
            $"'{usage}' is for CA certificates; profiles issue end-entity certificates only", 6, 30);
    }

    [Test]
    public void Read_UnknownExtendedKeyUsage_Reported()
    {
        AssertSingle(_kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature]\nextendedKeyUsage: [clientAuth, sso]")), "extendedKeyUsage",
            "unknown extended key usage 'sso' (use a dotted OID or one of serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning)", 7, 32);
    }

    [Test]
    public void Read_UnknownCurve_Reported()
    {
        AssertSingle(_kit.Read(With("  ec: [P-256]", "  ec: [P-256, secp256k1]")), "keys.ec", "unknown curve 'secp256k1' (known: P-256, P-384, P-521)", 8, 15);
    }

    [TestCase(1024)]
    [TestCase(2047)]
    public void Read_RsaMinBitsBelow2048_Reported(int bits)
    {
        AssertSingle(_kit.Read(With("  ec: [P-256]", $"  ec: [P-256]\n  rsa: {{ minBits: {bits} }}")), "keys.rsa",
            "minBits below 2048 is not allowed (NIST SP 800-131A)", 9, 19);
    }

    [Test]
    public void Read_RsaMaxBitsBelowMinBits_Reported()
    {
        AssertSingle(_kit.Read(With("  ec: [P-256]", "  ec: [P-256]\n  rsa: { minBits: 4096, maxBits: 2048 }")), "keys.rsa",
            "maxBits must be at least minBits and at most 16384", 9, 34);
    }

    [Test]
    public void Read_NoKeyAlgorithm_ReportedAtKeys()
    {
        AssertSingle(_kit.Read(With("  ec: [P-256]", "  ed25519: false")), "keys",
            "no key algorithm is allowed; list ec curves, rsa sizes or ed25519: true", 8, 3);
    }

    [Test]
    public void Read_UnknownSubjectType_Reported()
    {
        AssertSingle(_kit.Read(With("  - type: CN", "  - type: Nickname")), "subject.type",
            "unknown subject attribute type 'Nickname' (use CN, O, OU, C, ST, L, serialNumber, DC, UID… or a dotted OID)", 10, 11);
    }

    [TestCase("CN")]
    [TestCase("2.5.4.3")]
    public void Read_DuplicateSubjectType_ReportedAtTheSecond(string second)
    {
        AssertSingle(_kit.Read(With("  - type: CN", $"  - type: CN\n  - type: {second}")), "subject.type",
            $"subject attribute {second} is listed twice", 11, 11);
    }

    [Test]
    public void Read_SubjectValueAndFromTogether_Reported()
    {
        AssertSingle(_kit.Read(With("  - type: CN", "  - type: CN\n  - type: O\n    value: Example\n    from: csr")), "subject.from",
            "give either 'value' (fixed) or 'from', not both", 13, 11);
    }

    [Test]
    public void Read_SubjectBadFrom_Reported()
    {
        AssertSingle(_kit.Read(With("  - type: CN", "  - type: CN\n  - type: serialNumber\n    from: certificate")), "subject.from",
            "'from' is csr or clientCertificate, not 'certificate'", 12, 11);
    }

    [TestCase("    value: Example\n    pattern: 'Ex.*'", TestName = "Read_PatternOnFixedValue_ReportedAtTheEntry")]
    [TestCase("    from: clientCertificate\n    required: true", TestName = "Read_RequiredOnClientCertificateValue_ReportedAtTheEntry")]
    public void Read_CsrOnlyOptionOnOtherSource_Reported(string lines)
    {
        AssertSingle(_kit.Read(With("  - type: CN", "  - type: CN\n  - type: O\n" + lines)), "subject",
            "O: 'pattern' and 'required' apply only to values taken from the CSR", 11, 5);
    }

    [Test]
    public void Read_BadRegularExpression_ReportedAtThePattern()
    {
        ProfileRead read = _kit.Read(With("  - type: CN", "  - type: CN\n    pattern: '[a-z'"));

        Assert.That(read.Diagnostics, Has.Count.EqualTo(1));
        ProfileDiagnostic diagnostic = read.Diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Rule, Is.EqualTo("subject.pattern"));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((11, 14)));
            Assert.That(diagnostic.Message, Does.StartWith("bad regular expression: ").And.Contain("Unterminated [] set"));
        });
    }

    [Test]
    public void Read_UnknownSubjectAltNameType_Reported()
    {
        AssertSingle(_kit.Read(Minimal + "subjectAltName:\n  - type: dirName\n"), "subjectAltName.type",
            "unknown subjectAltName type 'dirName' (known: dns, ip, email, uri)", 14, 11);
    }

    [Test]
    public void Read_SubjectAltNameTypeListedTwice_Reported()
    {
        AssertSingle(_kit.Read(Minimal + "subjectAltName:\n  - type: dns\n  - type: dns\n"), "subjectAltName.type",
            "subjectAltName type dns is listed twice", 15, 11);
    }

    [TestCase("    min: 3\n    max: 2")]
    [TestCase("    max: 101")]
    public void Read_SubjectAltNameMinMaxInconsistent_ReportedAtTheEntry(string lines)
    {
        AssertSingle(_kit.Read(Minimal + "subjectAltName:\n  - type: dns\n" + lines + "\n"), "subjectAltName", "dns: need 0 <= min <= max <= 100", 14, 5);
    }

    [Test]
    public void Read_UnknownExtensionName_Reported()
    {
        AssertSingle(_kit.Read(Minimal + "csrExtensions:\n  ignore: [keyUsage, fooBar]\n"), "csrExtensions",
            "unknown extension 'fooBar' (use a dotted OID or one of subjectAltName, keyUsage, extendedKeyUsage, basicConstraints, subjectKeyIdentifier, authorityKeyIdentifier, certificatePolicies, subjectDirectoryAttributes)", 14, 22);
    }

    [TestCase("basicConstraints")]
    [TestCase("keyUsage")]
    [TestCase("extendedKeyUsage")]
    [TestCase("subjectKeyIdentifier")]
    [TestCase("authorityKeyIdentifier")]
    [TestCase("certificatePolicies")]
    [TestCase("2.5.29.19")]
    public void Read_HonouringProfileOwnedExtension_Reported(string extension)
    {
        AssertSingle(_kit.Read(Minimal + $"csrExtensions:\n  honour: [subjectAltName, {extension}]\n"), "csrExtensions",
            $"'{extension}' is set by the profile itself and cannot be honoured from a CSR; list it under ignore or reject", 14, 28);
    }

    [TestCase("subjectAltName")]
    [TestCase("2.5.29.17")]
    public void Read_ExtensionInTwoLists_ReportedAtTheSecond(string second)
    {
        AssertSingle(_kit.Read(Minimal + $"csrExtensions:\n  honour: [subjectAltName]\n  reject: [{second}]\n"), "csrExtensions",
            $"'{second}' is listed under more than one of honour, ignore, reject", 15, 12);
    }

    [TestCase("honour")]
    [TestCase("copy")]
    public void Read_ExtensionDefaultNotRejectOrIgnore_Reported(string value)
    {
        AssertSingle(_kit.Read(Minimal + $"csrExtensions:\n  default: {value}\n"), "csrExtensions.default",
            "default is reject or ignore (copying unknown extensions blindly is never safe)", 14, 12);
    }

    [Test]
    public void Read_MissingTrustAnchorFile_ReportedWithResolvedPath()
    {
        ProfileRead read = _kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [missing.pem]"));
        string expectedPath = Path.Combine(Path.GetDirectoryName(read.Path)!, "missing.pem");

        AssertSingleStartsWith(read, "enroll.trustAnchors", $"cannot read trust anchor 'missing.pem' ({expectedPath}): ", 12, 18);
    }

    [Test]
    public void Read_TrustAnchorFileWithoutCertificate_Reported()
    {
        _kit.Directory.Write("not-a-certificate.pem", "this is no PEM\n");

        ProfileRead read = _kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [not-a-certificate.pem]"));

        AssertSingleStartsWith(read, "enroll.trustAnchors", "cannot read trust anchor 'not-a-certificate.pem' (", 12, 18);
        Assert.That(read.Diagnostics[0].Message, Does.EndWith("holds no PEM certificate"));
    }

    [Test]
    public void Read_TrustAnchorWithoutRoot_Reported()
    {
        using TestCaHierarchy chain = TestCaHierarchy.Create(name: "Rootless");
        _kit.Directory.Write("intermediate-only.pem", TestCertificates.Pem(chain.IssuingCertificate));

        AssertSingle(_kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [intermediate-only.pem]")), "enroll.trustAnchors",
            "the trust anchors hold no self-signed root certificate to end device identity paths at", 12, 17);
    }

    [Test]
    public void Read_UnknownDevAnchor_ReportedWithKnownNames()
    {
        AssertSingle(_kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [dev:vendor]")), "enroll.trustAnchors",
            "unknown built-in anchor 'dev:vendor' (known: dev:manufacturer)", 12, 18);
    }

    [Test]
    public void Read_DevAnchorOnConfiguredCa_Reported()
    {
        var configured = new TrustAnchorResolver(new Dictionary<string, string>());
        ProfileLoadContext context = _kit.Context with { ResolveTrustAnchors = configured.Resolve };

        AssertSingle(_kit.Read(Minimal, context: context), "enroll.trustAnchors",
            "'dev:manufacturer' names a development PKI anchor, but this server runs on a configured CA; list PEM files instead", 12, 18);
    }

    [TestCase("0d")]
    [TestCase("0s")]
    public void Read_NonPositiveRenewalWindow_Reported(string window)
    {
        AssertSingle(_kit.Read(Minimal + $"reenroll:\n  renewalWindow: {window}\n"), "reenroll.renewalWindow",
            "renewalWindow must be longer than zero (omit it to allow re-enrollment at any time)", 14, 18);
    }

    [Test]
    public void Read_NotTrueOrFalse_Reported()
    {
        AssertSingle(_kit.Read(With("labels: [sample]", "labels: [sample]\ndefault: yes")), "default", "'yes' is not true or false", 3, 10);
    }

    [Test]
    public void Read_ScalarWhereListExpected_Reported()
    {
        ProfileRead read = _kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: digitalSignature"));

        // The empty list that results is reported too (at the same place); the first message says what is wrong.
        Assert.That(read.Diagnostics.FirstOrDefault(), Is.EqualTo(new ProfileDiagnostic(read.Path, 6, 11, "keyUsage", "expected a list")));
    }

    [Test]
    public void Read_SeveralProblemsInOneFile_AllReported()
    {
        string yaml = Minimal
            .Replace("name: sample", "name: bad name!", StringComparison.Ordinal)
            .Replace("validity: 30d", "validity: 30d\nserialBytes: 42", StringComparison.Ordinal)
            .Replace("  ec: [P-256]", "  ec: [P-257]", StringComparison.Ordinal)
            + "reenroll:\n  renewalWindow: 0d\n";

        ProfileRead read = _kit.Read(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(read.Diagnostics.Select(d => (d.Rule, d.Line, d.Column)), Is.EquivalentTo(new[]
            {
                ("name", 1, 7),
                ("serialBytes", 6, 14),
                ("keys.ec", 9, 8),
                ("keys", 9, 3),
                ("reenroll.renewalWindow", 15, 18),
            }), "the unknown curve leaves no key algorithm, which is reported too");
            Assert.That(read.File.Profile, Is.Null);
            Assert.That(read.File.Name, Is.EqualTo("bad name!"), "the name is kept for checks across files");
        });
    }

    private static string With(string line, string replacement)
    {
        string withNewline = line.EndsWith('\n') ? line : line + "\n";
        if (!Minimal.Contains(withNewline, StringComparison.Ordinal))
        {
            throw new ArgumentException($"test setup: '{line}' is not a line of the minimal profile", nameof(line));
        }

        return Minimal.Replace(withNewline, replacement.Length == 0 ? "" : replacement + "\n", StringComparison.Ordinal);
    }

    private static void AssertSingle(ProfileRead read, string rule, string message, int line, int column)
    {
        Assert.Multiple(() =>
        {
            Assert.That(read.Diagnostics, Is.EqualTo(new[] { new ProfileDiagnostic(read.Path, line, column, rule, message) }).AsCollection);
            Assert.That(read.File.Profile, Is.Null, "an invalid file yields no profile");
        });
    }

    private static void AssertSingleStartsWith(ProfileRead read, string rule, string messageStart, int line, int column)
    {
        Assert.That(read.Diagnostics, Has.Count.EqualTo(1), string.Join("\n", read.Diagnostics));
        ProfileDiagnostic diagnostic = read.Diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.File, Is.EqualTo(read.Path));
            Assert.That(diagnostic.Rule, Is.EqualTo(rule));
            Assert.That(diagnostic.Message, Does.StartWith(messageStart));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((line, column)));
            Assert.That(read.File.Profile, Is.Null);
        });
    }
}
