using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Host.Configuration;
using EstServer.Host.Pki;
using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Startup;

/// <summary>
/// Where the profiles come from: the configured directory, else $EST_CONFIG_DIR/profiles, else (on the
/// development PKI only) the built-in device profile, read from its YAML; a configured directory that is missing or invalid
/// stops start-up with every problem. Sets EST_CONFIG_DIR, so it does not run alongside other tests.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProfileCatalogFactoryTests
{
    private TempDirectory _dir = null!;
    private EnvironmentVariableScope _environment = null!;
    private CapturedLogs _logs = null!;
    private ILoggerFactory _loggers = null!;

    private string ConfigDir => _dir.Combine("config");

    [SetUp]
    public void CreateDirectory()
    {
        _dir = new TempDirectory();
        Directory.CreateDirectory(ConfigDir);
        _environment = new EnvironmentVariableScope().Set("EST_CONFIG_DIR", ConfigDir);
        _logs = new CapturedLogs();
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
    }

    [TearDown]
    public void DeleteDirectory()
    {
        _loggers.Dispose();
        _logs.Dispose();
        _environment.Dispose();
        _dir.Dispose();
    }

    [Test]
    public void Create_NothingConfiguredAndNoDefaultDirectory_ServesTheBuiltInDeviceProfileOnTheDevPki()
    {
        EstOptions options = DevOptions();
        PkiMaterial pki = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        using X509Certificate2 manufacturer = X509CertificateLoader.LoadCertificateFromFile(pki.DevPki!.ManufacturerCaCertificate);

        IProfileCatalogProvider provider = ProfileCatalogFactory.Create(options, pki, TimeProvider.System, _loggers);
        ProfileCatalog catalog = provider.Current;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider, Is.InstanceOf<FixedProfileCatalogProvider>());
            Assert.That(catalog.Profiles, Has.Count.EqualTo(1));
            Assert.That(catalog.TryResolve(null, out CertificateProfile profile), Is.True);
            Assert.That(catalog.Labels, Is.Empty);
            Assert.That(catalog.TryResolve("anything", out _), Is.False);
            Assert.That(profile.Name, Is.EqualTo("default"));
            Assert.That(profile.SourceFile, Is.EqualTo(BuiltInProfile.FileName), "read from its YAML like a profile file");
            Assert.That(profile.SubjectRules!.Select(r => (r.Name, r.Source, r.Required)), Is.EqualTo(new[]
            {
                ("CN", SubjectValueSource.Csr, true),
                ("serialNumber", SubjectValueSource.ClientCertificate, false),
            }), "the device's name from the CSR, its serial number from its IDevID; nothing else");
            Assert.That(profile.SubjectAltNameRules, Is.Empty, "no subjectAltName");
            Assert.That(profile.Policies, Has.Count.EqualTo(1));
            Assert.That(profile.DeviceIdentityAnchors.Roots.Select(c => c.RawData), Is.EqualTo(new[] { manufacturer.RawData }));
            Assert.That(
                _logs.Entries.Where(e => e.EventId.Id == 1102 && e.Level == LogLevel.Warning).Select(e => e.Message),
                Has.One.Contains(Path.GetFullPath(Path.Combine(ConfigDir, "profiles"))));
        }
    }

    [Test]
    public void Create_NothingConfiguredOnAConfiguredCa_ThrowsAskingForProfilesPath()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        EstOptions options = files.Options();
        options = options with { ProfilesPath = "" };
        PkiMaterial pki = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => ProfileCatalogFactory.Create(options, pki, TimeProvider.System, _loggers));

        Assert.That(exception!.Message, Is.EqualTo($"no profile directory at {Path.GetFullPath(Path.Combine(ConfigDir, "profiles"))}; set Est:ProfilesPath"));
    }

    [Test]
    public void Create_DefaultDirectoryUnderTheConfigDirectory_IsLoadedAndWatched()
    {
        TestProfile.WriteDirectory(Path.Combine(ConfigDir, "profiles"), new TestProfile { Name = "from-config", Labels = ["cfg"] });
        EstOptions options = DevOptions();
        PkiMaterial pki = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        using var store = ProfileCatalogFactory.Create(options, pki, TimeProvider.System, _loggers) as ProfileStore;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(store, Is.Not.Null, "a directory is reloaded");
            Assert.That(store!.Current.Profiles.Select(p => p.Name), Is.EqualTo(new[] { "from-config" }));
            Assert.That(_logs.Entries.Where(e => e.EventId.Id == 1102), Is.Empty);
        }
    }

    [Test]
    public void Create_ConfiguredDirectoryMissing_ThrowsConfigurationErrorNamingIt()
    {
        string missing = _dir.Combine("missing");
        EstOptions options = DevOptions(missing);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Is.EqualTo($"invalid profile set: {missing}: error [directory]: profile directory does not exist"), "one problem, one line");
            Assert.That(exception.InnerException, Is.InstanceOf<InvalidProfileSetException>());
        }
    }

    [Test]
    public void Create_ConfiguredDirectoryWithoutProfileFiles_ThrowsSayingSo()
    {
        string empty = _dir.Combine("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "README.txt"), "not a profile\n");
        EstOptions options = DevOptions(empty);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers));

        Assert.That(exception!.Message, Does.EndWith($"{empty}: error [directory]: no profile files (*.yaml) in the directory"));
    }

    [Test]
    public void Create_InvalidSet_ThrowsWithEveryDiagnostic()
    {
        string profiles = TestProfile.WriteDirectory(
            _dir.Combine("profiles"),
            new TestProfile { Name = "one", Labels = ["cacerts"], Validity = "3000d" },
            new TestProfile { Name = "two", PolicyOid = "not-an-oid" });
        EstOptions options = DevOptions(profiles);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers));
        string one = Path.Combine(profiles, "one.yaml");
        string two = Path.Combine(profiles, "two.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message.Split(Environment.NewLine), Is.EqualTo(new[]
            {
                $"invalid profile set (3 problems): {one}:2:10: error [labels]: label 'cacerts' is an EST operation name",
                $"{one}:6:11: error [validity]: validity 3000d is longer than the issuing CA's own validity (1826 days)",
                $"{two}:5:10: error [policies.oid]: 'not-an-oid' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)",
            }));
            Assert.That(((InvalidProfileSetException)exception.InnerException!).Diagnostics, Has.Count.EqualTo(3));
        }
    }

    [TestCase("a/b")]
    [TestCase("with space")]
    [TestCase("..")]
    [TestCase("caf\u00e9")]
    [TestCase("%2e")]
    [TestCase("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void Create_LabelThatIsNotOnePathSegment_IsAProblem(string label)
    {
        EstConfigurationException exception = CreateInvalid(new TestProfile { Name = "labelled", Labels = [label] });

        Assert.That(exception.Message, Does.Contain($"error [labels]: label '{label}' must be one URL path segment of letters, digits, '.', '_' or '-'"));
    }

    [TestCase("cacerts")]
    [TestCase("simpleenroll")]
    [TestCase("simplereenroll")]
    [TestCase("csrattrs")]
    [TestCase("serverkeygen")]
    [TestCase("fullcmc")]
    public void Create_LabelThatIsAnOperationName_IsAProblem(string label)
    {
        EstConfigurationException exception = CreateInvalid(new TestProfile { Name = "labelled", Labels = [label] });

        Assert.That(exception.Message, Does.Contain($"error [labels]: label '{label}' is an EST operation name"));
    }

    [Test]
    public void Create_LabelOf64Characters_IsAccepted()
    {
        string label = new('x', 64);
        EstOptions options = DevOptions(TestProfile.WriteDirectory(_dir.Combine("profiles"), new TestProfile { Name = "long", Labels = [label] }));

        using var store = (ProfileStore)ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers);

        Assert.That(store.Current.Labels, Is.EqualTo(new[] { label }));
    }

    [Test]
    public void Create_TrustAnchorsWithoutRoot_IsAProblemLocatedAtTheList()
    {
        using X509Certificate2 root = TestCertificates.CreateRootCa("CN=Manufacturer Root");
        using X509Certificate2 intermediate = TestCertificates.CreateIntermediateCa(root, "CN=Manufacturer Intermediate");
        string anchors = _dir.Combine("intermediate-only.pem");
        TestCertificates.WritePem(anchors, intermediate);
        var profile = new TestProfile { Name = "anchored", TrustAnchors = [anchors] };
        int listLine = Array.IndexOf(profile.ToYaml().Split('\n'), "  trustAnchors:") + 2;

        EstConfigurationException exception = CreateInvalid(profile);

        Assert.That(exception.Message, Is.EqualTo(
            $"invalid profile set: {Path.Combine(_dir.Path, "profiles", "anchored.yaml")}:{listLine}:5: error [enroll.trustAnchors]: "
            + "the trust anchors hold no self-signed root certificate to end device identity paths at"));
    }

    [Test]
    public void Create_IntermediateEntryNextToItsRootEntry_IsAccepted()
    {
        using X509Certificate2 root = TestCertificates.CreateRootCa("CN=Manufacturer Root");
        using X509Certificate2 intermediate = TestCertificates.CreateIntermediateCa(root, "CN=Factory Line CA");
        string intermediatePath = _dir.Combine("factory-line.pem");
        string rootPath = _dir.Combine("maker-root.pem");
        TestCertificates.WritePem(intermediatePath, intermediate);
        TestCertificates.WritePem(rootPath, root);
        EstOptions options = DevOptions(TestProfile.WriteDirectory(
            _dir.Combine("profiles"), new TestProfile { Name = "anchored", Default = true, TrustAnchors = [intermediatePath, rootPath] }));

        using var store = (ProfileStore)ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers);
        CertificateProfile profile = store.Current.Profiles.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.DeviceIdentityAnchors.Roots.Select(c => c.RawData), Is.EqualTo(new[] { root.RawData }));
            Assert.That(profile.DeviceIdentityAnchors.Intermediates.Select(c => c.RawData), Is.EqualTo(new[] { intermediate.RawData }));
        }
    }

    [Test]
    public void Create_TrustAnchorFileWithoutCertificate_IsAProblemNamingTheFile()
    {
        string anchors = _dir.Combine("nothing.pem");
        File.WriteAllText(anchors, "nothing here\n");

        EstConfigurationException exception = CreateInvalid(new TestProfile { Name = "anchored", TrustAnchors = [anchors] });

        Assert.That(exception.Message, Does.Contain($"error [enroll.trustAnchors]: cannot read trust anchor '{anchors}' ({anchors}): "));
    }

    [Test]
    public void Create_TrustAnchorPathRelativeToTheProfileFile_IsResolvedThere()
    {
        using X509Certificate2 root = TestCertificates.CreateRootCa("CN=Relative Manufacturer");
        Directory.CreateDirectory(_dir.Combine("trust"));
        TestCertificates.WritePem(_dir.Combine("trust", "manufacturer.pem"), root);
        EstOptions options = DevOptions(TestProfile.WriteDirectory(
            _dir.Combine("profiles"), new TestProfile { Name = "relative", Default = true, TrustAnchors = ["../trust/manufacturer.pem"] }));

        using var store = (ProfileStore)ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers);

        Assert.That(store.Current.Unlabelled!.DeviceIdentityAnchors.Roots.Select(c => c.RawData), Is.EqualTo(new[] { root.RawData }));
    }

    [Test]
    public void Create_DevelopmentAnchorOnAConfiguredCa_IsAProblem()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        TestProfile.WriteDirectory(files.ProfilesPath, files.Profile with { TrustAnchors = ["dev:manufacturer"] });
        EstOptions options = files.Options();

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(
            () => ProfileCatalogFactory.Create(options, PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer), TimeProvider.System, _loggers));

        Assert.That(exception!.Message, Does.Contain(
            "error [enroll.trustAnchors]: 'dev:manufacturer' names a development PKI anchor, but this server runs on a configured CA; list PEM files instead"));
    }

    private EstConfigurationException CreateInvalid(params TestProfile[] profiles)
    {
        EstOptions options = DevOptions(TestProfile.WriteDirectory(_dir.Combine("profiles"), profiles));
        PkiMaterial pki = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => ProfileCatalogFactory.Create(options, pki, TimeProvider.System, _loggers));
        return exception!;
    }

    private EstOptions DevOptions(string profilesPath = "") => new() { DataDir = _dir.Combine("data"), ProfilesPath = profilesPath };
}
