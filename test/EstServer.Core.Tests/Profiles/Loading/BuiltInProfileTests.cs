using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.X509;
using static EstServer.Core.Tests.Support.RequestFactory;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EstServer.Core.Tests.Profiles.Loading;

/// <summary>
/// The profile served without a profile directory: read by the same reader and rules as a profile file,
/// and a real device profile that takes what the demo device and dev-device identities send, nothing else.
/// </summary>
public sealed class BuiltInProfileTests
{
    private ProfileKit _kit = null!;
    private TestCaHierarchy _pki = null!;
    private BcCertificate _idevid = null!;
    private CertificateProfile _profile = null!;
    private DateTimeOffset _now;

    [OneTimeSetUp]
    public void LoadBuiltInProfile()
    {
        // The development PKI's issuing CA lives for five years.
        _kit = new ProfileKit(issuingCaLifetime: TimeSpan.FromDays(5 * 365));
        _pki = TestCaHierarchy.Create(name: "Built-in");
        _now = DateTimeOffset.UtcNow;
        _idevid = Certificate(_pki.Issuer, Name((X509Name.O, "Demo Manufacturer"), (X509Name.SerialNumber, "DEMO-DEVICE-0001"), (X509Name.CN, "demo-device-0001")), null, _now.AddDays(-1), _now.AddYears(1));
        ProfileLoadResult result = BuiltInProfile.Load(_kit.Context);
        Assert.That(result.Diagnostics, Is.Empty);
        _profile = result.Catalog!.Unlabelled!;
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _pki.Dispose();
        _kit.Dispose();
    }

    [Test]
    public void Load_DevelopmentPkiAnchors_OneProfileOnTheUnlabelledRouteWithoutDiagnostics()
    {
        ProfileLoadResult result = BuiltInProfile.Load(_kit.Context);

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
        CertificateProfile profile = result.Catalog!.Profiles.Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Catalog.Unlabelled, Is.SameAs(profile));
            Assert.That(result.Catalog.Labels, Is.Empty);
            Assert.That(profile.Name, Is.EqualTo("default"));
            Assert.That(profile.SourceFile, Is.EqualTo(BuiltInProfile.FileName));
            Assert.That(profile.Version, Does.Match("^[0-9a-f]{12}$"), "a hash of its YAML, like a file's");
            Assert.That(profile.Policies, Has.Count.EqualTo(1));
            Assert.That(profile.ExtendedKeyUsages, Is.EqualTo(new[] { CertificateProfile.ClientAuthOid }));
            Assert.That(profile.Validity, Is.EqualTo(TimeSpan.FromDays(365)));
            Assert.That(profile.SubjectAltNameRules, Is.Empty);
            Assert.That(profile.DeviceIdentityAnchors.Roots.Select(c => c.Thumbprint), Is.EqualTo(new[] { _kit.ManufacturerRoot.Thumbprint }));
        });
    }

    [Test]
    public void Load_ServerOnAConfiguredCa_ReportsTheDevAnchorAtTheBuiltInFile()
    {
        ProfileLoadContext configured = _kit.Context with { ResolveTrustAnchors = new TrustAnchorResolver(new Dictionary<string, string>()).Resolve };

        ProfileLoadResult result = BuiltInProfile.Load(configured);

        Assert.Multiple(() =>
        {
            Assert.That(result.Catalog, Is.Null);
            Assert.That(result.Diagnostics.Select(d => (d.File, d.Rule)), Is.EqualTo(new[] { (BuiltInProfile.FileName, "enroll.trustAnchors") }));
        });
    }

    [Test]
    public void Yaml_InAProfileDirectory_LoadsAsAValidProfileFile()
    {
        string directory = _kit.NewDirectory("built-in-as-file");
        File.WriteAllText(Path.Combine(directory, "default.yaml"), BuiltInProfile.Yaml);

        ProfileLoadResult result = ProfileDirectoryLoader.Load(directory, _kit.Context);

        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Diagnostics));
    }

    [Test]
    public void Build_DemoDeviceCsr_CnFromTheCsrAndSerialNumberFromTheIdevid()
    {
        // What EnrollmentInstructions prints: openssl req -newkey ec (P-256) -subj "/CN=demo-device-0001".
        Result<CertificateTemplate> built = Build(Name((X509Name.CN, "demo-device-0001")));

        Assert.That(built.IsSuccess, Is.True, built.Error?.Reason);
        Assert.Multiple(() =>
        {
            Assert.That(built.Value.Subject.ToString(), Is.EqualTo("CN=demo-device-0001,SERIALNUMBER=DEMO-DEVICE-0001"));
            Assert.That(built.Value.SubjectAltNames, Is.Null);
            Assert.That(built.Value.ExtendedKeyUsages, Is.EqualTo(new[] { CertificateProfile.ClientAuthOid }));
        });
    }

    [TestCase("e2e-fleet-0001")]
    [TestCase("line_4-device.7")]
    [TestCase("x")]
    public void Build_DevDeviceName_Accepted(string name)
    {
        Result<CertificateTemplate> built = Build(Name((X509Name.CN, name)));

        Assert.That(built.IsSuccess, Is.True, built.Error?.Reason);
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public void CheckKeys_KeyADeviceStackGenerates_Accepted(TestKeyType keyType)
    {
        Assert.That(KeyChecks.PolicyOnly.Check(_profile, Decode(TestCsr.Create("CN=demo-device-0001", keyType).Der)), Is.Null);
    }

    [Test]
    public void CheckKeys_Rsa1024_RefusedAsTooSmall()
    {
        EstError? error = KeyChecks.PolicyOnly.Check(_profile, Decode(TestCsr.Create("CN=demo-device-0001", TestKeyType.Rsa1024).Der));

        Assert.That(error?.Reason, Is.EqualTo("CSR key RSA-1024 is too small; at least 2048 bits are required"));
    }

    [Test]
    public void CheckKeys_CurveNotListed_Refused()
    {
        EstError? error = KeyChecks.PolicyOnly.Check(_profile, Decode(TestCsr.Create("CN=demo-device-0001", TestKeyType.EcP521).Der));

        Assert.That(error?.Reason, Does.StartWith("CSR key EC P-521 is not allowed"));
    }

    [Test]
    public void Build_CsrAskingForASubjectAltName_Refused()
    {
        Result<CertificateTemplate> built = Build(Name((X509Name.CN, "demo-device-0001")), SubjectAltName(Dns("anything.example.net")));

        AssertRefused(built, EstErrorKind.BadRequest, "the CSR requests extension subjectAltName, which profile 'default' does not accept");
    }

    [Test]
    public void Build_SubjectAttributeTheProfileDoesNotList_Refused()
    {
        Result<CertificateTemplate> built = Build(Name((X509Name.O, "Anything Goes"), (X509Name.CN, "demo-device-0001")));

        AssertRefused(built, EstErrorKind.BadRequest, "subject attribute O is not allowed by profile 'default'");
    }

    [TestCase("")]
    [TestCase("two words")]
    [TestCase("-leading-dash")]
    public void Build_CommonNameOutsideThePattern_Refused(string name)
    {
        Result<CertificateTemplate> built = Build(Name((X509Name.CN, name)));

        Assert.That(built.IsSuccess, Is.False);
        Assert.That(built.Error!.Reason, Does.StartWith($"subject CN '{name}' does not match the profile's pattern"));
    }

    [Test]
    public void Build_NoCommonName_Refused()
    {
        Result<CertificateTemplate> built = Build(Name((X509Name.SerialNumber, "DEMO-DEVICE-0001")));

        AssertRefused(built, EstErrorKind.BadRequest, "subject attribute CN is required");
    }

    [Test]
    public void Build_ClientCertificateWithoutSerialNumber_Forbidden()
    {
        BcCertificate anonymous = Certificate(_pki.Issuer, Name((X509Name.CN, "demo-device-0001")), null, _now.AddDays(-1), _now.AddYears(1));

        Result<CertificateTemplate> built = CertificateTemplateBuilder.Build(
            Decode(TestCsr.For(Name((X509Name.CN, "demo-device-0001"))).Build().Der), _profile, EnrollmentKind.Enroll, anonymous, _pki.Ca, _now);

        AssertRefused(built, EstErrorKind.Forbidden, "the client certificate has no subject serialNumber to copy into the certificate");
    }

    private Result<CertificateTemplate> Build(X509Name subject, X509Extensions? extensions = null) =>
        CertificateTemplateBuilder.Build(Decode(TestCsr.For(subject).Extensions(extensions).Build().Der), _profile, EnrollmentKind.Enroll, _idevid, _pki.Ca, _now);

    private static void AssertRefused(Result<CertificateTemplate> built, EstErrorKind kind, string reason)
    {
        Assert.That(built.IsSuccess, Is.False);
        Assert.That((built.Error!.Kind, built.Error.Reason), Is.EqualTo((kind, reason)));
    }
}
