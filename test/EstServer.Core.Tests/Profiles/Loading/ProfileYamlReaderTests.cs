using System.Security.Cryptography;
using System.Text;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.X509;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading;

/// <summary>ProfileYamlReader: the file read as a whole, every section and rule together.</summary>
public sealed class ProfileYamlReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_MinimalProfile_NoDiagnosticsAndDefaults()
    {
        ProfileRead read = Kit.Read(Minimal);

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
        Kit.NewDirectory("anchors");
        Kit.NewDirectory("profiles");
        Kit.Directory.Write("anchors/chain.pem", TestCertificates.Pem(chain.IssuingCertificate) + TestCertificates.Pem(chain.Root));
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

        ProfileRead read = Kit.Read(yaml, "profiles/full.yaml");

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
                Is.EquivalentTo(new[] { chain.Root.Thumbprint, Kit.ManufacturerRoot.Thumbprint }), "resolved relative to the profile file");
            Assert.That(profile.DeviceIdentityAnchors.Intermediates.Select(c => c.Thumbprint), Is.EqualTo(new[] { chain.IssuingCertificate.Thumbprint }));
            Assert.That(profile.Reenroll.RenewalWindow, Is.EqualTo(TimeSpan.FromDays(10)));
            Assert.That(profile.Reenroll.GracePeriod, Is.EqualTo(TimeSpan.FromDays(3)));
            Assert.That(profile.Reenroll.AllowSubjectChange, Is.True);
        });
    }

    [Test]
    public void Read_SameTextTwice_SameVersionAndAnEditChangesIt()
    {
        string first = Kit.Read(Minimal).File.Profile!.Version;
        string again = Kit.Read(Minimal).File.Profile!.Version;
        string edited = Kit.Read(With("validity: 30d", "validity: 31d")).File.Profile!.Version;

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Match("^[0-9a-f]{12}$"));
            Assert.That(again, Is.EqualTo(first));
            Assert.That(edited, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void Read_BoundaryValues_Accepted()
    {
        string yaml = With("validity: 30d", "validity: 1000d\nbackdate: 1d\nserialBytes: 9") + "reenroll:\n  renewalWindow: 1s\n";
        string notice = new('n', 200);
        string yaml20 = With("validity: 30d", "validity: 30d\nserialBytes: 20").Replace("  - oid: 2.999.1.1\n", $"  - oid: 2.999.1.1\n    notice: {notice}\n", StringComparison.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(Kit.Read(yaml).Diagnostics, Is.Empty, "validity equal to the CA lifetime, backdate 1d, 9 serial octets");
            Assert.That(Kit.Read(yaml20).Diagnostics, Is.Empty, "20 serial octets, a 200-character notice");
        });
    }

    [Test]
    public void Read_MisspeltTopLevelField_UnknownFieldAtTheKeyAndMissingRequired()
    {
        ProfileRead read = Kit.Read(With("validity: 30d", "valdity: 30d"));

        Assert.That(read.Diagnostics, Is.EqualTo(new[]
        {
            new ProfileDiagnostic(read.Path, 5, 1, "unknown-field",
                "unknown field 'valdity' in profile (allowed: name, description, labels, default, policies, validity, backdate, serialBytes, keyUsage, extendedKeyUsage, basicConstraintsCritical, keys, subject, subjectAltName, csrExtensions, enroll, reenroll)"),
            new ProfileDiagnostic(read.Path, 1, 1, "validity", "missing required field 'validity' (e.g. validity: 365d)"),
        }).AsCollection);
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
        AssertSingle(Kit.Read("# sample profile\n" + With(removed, "")), rule, message, 2, 1);
    }

    [TestCase("policies: []", "policies", "at least one policy is required", 3, 11)]
    [TestCase("keyUsage: []", "keyUsage", "at least one key usage is required", 6, 11)]
    [TestCase("  trustAnchors: []", "enroll.trustAnchors", "at least one trust anchor (a PEM file of a device-identity CA) is required", 12, 17)]
    public void Read_RequiredListEmpty_Reported(string line, string rule, string message, int lineNumber, int column)
    {
        string yaml = line.StartsWith("policies", StringComparison.Ordinal)
            ? With("policies:\n  - oid: 2.999.1.1", line + "\n#")
            : With(line.StartsWith("keyUsage", StringComparison.Ordinal) ? "keyUsage: [digitalSignature]" : "  trustAnchors: [dev:manufacturer]", line);

        AssertSingle(Kit.Read(yaml), rule, message, lineNumber, column);
    }

    [Test]
    public void Read_ProblemsInEverySection_AllReportedInOneRunWithTheirLines()
    {
        const string yaml =
            "name: sample\n" +                             // 1
            "labels: [sample, cacerts]\n" +                // 2
            "policies:\n" +                                // 3
            "  - oid: 2.999.1.1\n" +                       // 4
            "    cps: ftp://pki.example.com/cps\n" +       // 5
            "validity: 0d\n" +                             // 6
            "keyUsage: [keyAgreement]\n" +                 // 7
            "keys:\n" +                                    // 8
            "  ec: [P-256]\n" +                            // 9
            "  rsa: { minBits: 1024 }\n" +                 // 10
            "subject:\n" +                                 // 11
            "  - type: CN\n" +                             // 12
            "    from: device\n" +                         // 13
            "subjectAltName:\n" +                          // 14
            "  - type: dns\n" +                            // 15
            "    min: 1\n" +                               // 16
            "csrExtensions:\n" +                           // 17
            "  default: reject\n" +                        // 18
            "enroll:\n" +                                  // 19
            "  trustAnchors: [dev:vendor]\n" +             // 20
            "reenroll:\n" +                                // 21
            "  renewalWindow: 0d\n";                       // 22

        ProfileRead read = Kit.Read(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(read.Diagnostics.Select(d => (d.Rule, d.Line, d.Column)), Is.EqualTo(new[]
            {
                ("labels", 2, 18),
                ("policies.cps", 5, 10),
                ("validity", 6, 11),
                ("keys.rsa", 10, 19),
                ("subject.from", 13, 11),
                ("enroll.trustAnchors", 20, 18),
                ("reenroll.renewalWindow", 22, 18),
                ("keyUsage", 7, 11),
                ("subjectAltName", 15, 3),
            }), "each section's problems in section order, then the rules across sections");
            Assert.That(read.Diagnostics.Select(d => d.File), Is.All.EqualTo(read.Path));
            Assert.That(read.File.Profile, Is.Null);
        });
    }

    [Test]
    public void Read_OptionalFieldsLeftOut_EachIsTheModelDefault()
    {
        CertificateProfile read = Kit.Load(With("labels: [sample]", ""));
        var model = new CertificateProfile
        {
            Name = read.Name,
            Policies = read.Policies,
            Validity = read.Validity,
            Keys = read.Keys,
            KeyUsage = read.KeyUsage,
            SubjectRules = read.SubjectRules,
            DeviceIdentityAnchors = read.DeviceIdentityAnchors,
        };

        Assert.Multiple(() =>
        {
            Assert.That(read.Description, Is.EqualTo(model.Description), "description");
            Assert.That(read.Labels, Is.EqualTo(model.Labels), "labels");
            Assert.That(read.ServesUnlabelled, Is.EqualTo(model.ServesUnlabelled), "default");
            Assert.That(read.Backdate, Is.EqualTo(model.Backdate), "backdate");
            Assert.That(read.SerialBytes, Is.EqualTo(model.SerialBytes), "serialBytes");
            Assert.That(read.ExtendedKeyUsages, Is.EqualTo(model.ExtendedKeyUsages), "extendedKeyUsage");
            Assert.That(read.BasicConstraintsCritical, Is.EqualTo(model.BasicConstraintsCritical), "basicConstraintsCritical");
            Assert.That(read.SubjectAltNameRules, Is.EqualTo(model.SubjectAltNameRules), "subjectAltName");
            Assert.That(read.CsrExtensions, Is.SameAs(model.CsrExtensions), "csrExtensions");
            Assert.That(read.Reenroll, Is.SameAs(model.Reenroll), "reenroll");
        });
    }

    [Test]
    public void Read_SeveralProblemsInOneFile_AllReported()
    {
        string yaml = Minimal
            .Replace("name: sample", "name: bad name!", StringComparison.Ordinal)
            .Replace("validity: 30d", "validity: 30d\nserialBytes: 42", StringComparison.Ordinal)
            .Replace("  ec: [P-256]", "  ec: [P-257]", StringComparison.Ordinal)
            + "reenroll:\n  renewalWindow: 0d\n";

        ProfileRead read = Kit.Read(yaml);

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
}
