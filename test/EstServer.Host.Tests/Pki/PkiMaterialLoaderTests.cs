using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Pki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Host.Tests.Pki;

/// <summary>The PKI the server runs with: the development PKI (created once, then reused) or configured files, with clear errors.</summary>
[TestFixture]
public sealed class PkiMaterialLoaderTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public void Load_NoCaConfigured_CreatesTheDevPkiAndRunsOnIt()
    {
        PkiMaterial pki = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(layout.IssuingCaCertificate);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(layout.TrustAnchor);
        using X509Certificate2 server = X509CertificateLoader.LoadCertificateFromFile(layout.ServerCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pki.DevPkiCreated, Is.True);
            Assert.That(pki.DevPki?.Directory, Is.EqualTo(layout.Directory));
            Assert.That(pki.Ca.ChainDer, Is.EqualTo(new[] { issuing.RawData, root.RawData }));
            Assert.That(pki.Signer, Is.Not.Null);
            Assert.That(pki.Ca.Matches(pki.Signer!), Is.True);
            Assert.That(pki.ServerCertificate!.RawData, Is.EqualTo(server.RawData));
            Assert.That(pki.ServerCertificate!.HasPrivateKey, Is.True);
            Assert.That(pki.BuiltInTrustAnchors, Is.EqualTo(new Dictionary<string, string> { ["dev:manufacturer"] = layout.ManufacturerCaCertificate }));
        }
    }

    [Test]
    public void Load_SecondTime_ReusesTheSameDevPki()
    {
        PkiMaterial first = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        PkiMaterial second = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.DevPkiCreated, Is.False);
            Assert.That(second.Ca.RootDer, Is.EqualTo(first.Ca.RootDer));
            Assert.That(second.Ca.ChainDer[0], Is.EqualTo(first.Ca.ChainDer[0]));
            Assert.That(second.ServerCertificate!.RawData, Is.EqualTo(first.ServerCertificate!.RawData));
        }
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public void Load_DevPki_KeysAreOwnerReadWriteOnly()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        string[] keys = Directory.GetFiles(layout.Directory, "*.key");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys.Select(Path.GetFileName), Is.EquivalentTo(new[] { "root-ca.key", "issuing-ca.key", "server.key", "manufacturer-ca.key", "device.key", "ocsp-responder.key" }));
            foreach (string key in keys)
            {
                Assert.That(File.GetUnixFileMode(key), Is.EqualTo(OwnerReadWrite), key);
            }

            Assert.That(File.GetUnixFileMode(layout.Directory) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite), Is.EqualTo((UnixFileMode)0));
        }
    }

    [Test]
    public void Load_DevPkiMissingACertificate_ThrowsNamingItAndTheFix()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        File.Delete(layout.IssuingCaCertificate);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Is.EqualTo(
            $"the development PKI at {layout.Directory} is incomplete (missing issuing-ca.pem); delete that directory to have it created again"));
    }

    [Test]
    public void Load_DevPkiMissingTheCaKeyWhereItSigns_ThrowsNamingTheKeyFile()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        File.Delete(layout.IssuingCaKey);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.StartWith("cannot load Est:Ca:KeyPath: ").And.Contain(layout.IssuingCaKey));
            Assert.That(exception.InnerException, Is.InstanceOf<IOException>());
        }
    }

    [Test]
    public void Load_DevPkiWithoutCaKeysForAHostThatOnlyServesTls_LoadsWithoutASigner()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        File.Delete(layout.IssuingCaKey);
        File.Delete(layout.RootKey);
        File.Delete(layout.ManufacturerCaKey);

        PkiMaterial pki = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.TlsServer);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(layout.IssuingCaCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pki.Signer, Is.Null, "a host in Redis mode never holds the CA key");
            Assert.That(pki.Ca.ChainDer[0], Is.EqualTo(issuing.RawData));
            Assert.That(pki.ServerCertificate!.HasPrivateKey, Is.True);
            Assert.That(pki.DevPkiCreated, Is.False);
        }
    }

    [Test]
    public void Load_DevPkiWithoutTheServerKeyWhereItServesTls_ThrowsNamingTheServerCertificate()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        File.Delete(DevPkiLayout.InDataDir(_dir.Path).ServerKey);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.StartWith("cannot load the development server certificate: "));
    }

    [Test]
    public void Load_DevPkiWithoutTheServerKeyWhereNoTlsIsServed_LoadsTheSigner()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        File.Delete(DevPkiLayout.InDataDir(_dir.Path).ServerKey);

        PkiMaterial pki = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pki.ServerCertificate, Is.Null);
            Assert.That(pki.Ca.Matches(pki.Signer!), Is.True);
        }
    }

    [Test]
    public void Load_EmptyDevPkiDirectory_ThrowsListingEveryMissingCertificate()
    {
        Directory.CreateDirectory(_dir.Combine("dev-pki"));

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.Contain("(missing trust-anchor.pem, issuing-ca.pem, manufacturer-ca.pem, device.pem)"));
    }

    [Test]
    public void Load_DevPkiFileCorrupted_ThrowsConfigurationErrorNamingWhat()
    {
        _ = PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        File.WriteAllText(DevPkiLayout.InDataDir(_dir.Path).IssuingCaKey, "not a key\n");

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(DevOptions(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Ca:KeyPath: "));
    }

    [Test]
    public void Load_DevServerCertificateWithin30DaysOfExpiry_IsRenewedUnderTheSameRoot()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        PkiMaterial created = PkiMaterialLoader.Load(DevOptions(), time, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        time.Advance(TimeSpan.FromDays((2 * 365) - 20));

        PkiMaterial renewed = PkiMaterialLoader.Load(DevOptions(), time, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificate(renewed.Ca.RootDer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(renewed.ServerCertificate!.RawData, Is.Not.EqualTo(created.ServerCertificate!.RawData));
            Assert.That(renewed.ServerCertificate!.NotAfter.ToUniversalTime(), Is.GreaterThan(time.GetUtcNow().UtcDateTime.AddYears(1)));
            Assert.That(renewed.ServerCertificate!.HasPrivateKey, Is.True);
            Assert.That(renewed.ServerCertificate!.IssuerName.RawData, Is.EqualTo(root.SubjectName.RawData));
            Assert.That(renewed.Ca.RootDer, Is.EqualTo(created.Ca.RootDer));
        }
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public void Load_DevServerCertificateRenewed_KeyIsStillOwnerOnly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _ = PkiMaterialLoader.Load(DevOptions(), time, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        time.Advance(TimeSpan.FromDays(2 * 365));

        _ = PkiMaterialLoader.Load(DevOptions(), time, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        Assert.That(File.GetUnixFileMode(DevPkiLayout.InDataDir(_dir.Path).ServerKey), Is.EqualTo(OwnerReadWrite));
    }

    [Test]
    public void Load_DevServerCertificateNotDue_IsKept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        PkiMaterial created = PkiMaterialLoader.Load(DevOptions(), time, PkiNeeds.CaKey | PkiNeeds.TlsServer);
        time.Advance(TimeSpan.FromDays(365));

        PkiMaterial later = PkiMaterialLoader.Load(DevOptions(), time, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        Assert.That(later.ServerCertificate!.RawData, Is.EqualTo(created.ServerCertificate!.RawData));
    }

    [Test]
    public void Load_ConfiguredCa_LoadsChainServerCertificateAndAnchorsWithoutDevPki()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);

        PkiMaterial pki = PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pki.DevPki, Is.Null);
            Assert.That(pki.DevPkiCreated, Is.False);
            Assert.That(Directory.Exists(_dir.Combine("dev-pki")), Is.False);
            Assert.That(pki.Ca.ChainDer, Is.EqualTo(new[] { files.Issuing.RawData, files.Root.RawData }));
            Assert.That(pki.ServerCertificate!.RawData, Is.EqualTo(files.Server.RawData));
            Assert.That(pki.ServerCertificate!.HasPrivateKey, Is.True);
            Assert.That(pki.ServerChain.Select(c => c.RawData), Is.EqualTo(new[] { files.Root.RawData }), "what follows the leaf in the TLS file");
            Assert.That(pki.BuiltInTrustAnchors, Is.Empty, "dev:manufacturer exists only on the development PKI");
        }
    }

    [Test]
    public void Load_ConfiguredCaWithSeparateChainFile_AppendsTheChain()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        EstOptions options = files.Options();
        options = options with { Ca = options.Ca with { CertificatePath = _dir.Combine("issuing-only.pem"), ChainPath = _dir.Combine("root-only.pem") } };
        TestCertificates.WritePem(options.Ca.CertificatePath, files.Issuing);
        TestCertificates.WritePem(options.Ca.ChainPath, files.Root);

        PkiMaterial pki = PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        Assert.That(pki.Ca.ChainDer, Is.EqualTo(new[] { files.Issuing.RawData, files.Root.RawData }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Load_ConfiguredCaKeyInTraditionalPemForm_Loads(bool rsa)
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir, rsaIssuer: rsa);
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, files.Issuing, traditional: true);

        PkiMaterial pki = PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer);

        Assert.That(pki.Ca.Matches(pki.Signer!), Is.True);
    }

    [Test]
    public void Load_ConfiguredCaKeyOfAnotherCa_ThrowsSayingItDoesNotBelong()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        using X509Certificate2 other = TestCertificates.CreateRootCa("CN=Other CA");
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, other);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Is.EqualTo($"the CA key {files.IssuingKeyPath} does not belong to the CA certificate {files.IssuingChainPath}"));
    }

    [Test]
    public void Load_ConfiguredRsaCaWithAnEcKey_ThrowsSayingItDoesNotBelong()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir, rsaIssuer: true);
        using X509Certificate2 other = TestCertificates.CreateRootCa("CN=Other EC CA");
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, other);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.Contain("does not belong to the CA certificate"));
    }

    [Test]
    public void Load_ConfiguredEcCaWithAnRsaKey_ThrowsSayingItDoesNotBelong()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        using X509Certificate2 other = TestCertificates.CreateRootCa("CN=Other RSA CA", keyType: TestKeyType.Rsa2048);
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, other);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.Contain("does not belong to the CA certificate"));
    }

    [Test]
    public void Load_ConfiguredCaChainWithoutRoot_ThrowsAskingForTheChain()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        TestCertificates.WritePem(files.IssuingChainPath, files.Issuing);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Is.EqualTo(
            "the CA chain must end in a self-signed root (clients need it from cacerts, RFC 7030 §4.1.3); add it with Est:Ca:ChainPath"));
    }

    [Test]
    public void Load_ConfiguredCaFileMissing_ThrowsNamingTheSetting()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        File.Delete(files.IssuingChainPath);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.StartWith("cannot load Est:Ca:CertificatePath: "));
            Assert.That(exception.InnerException, Is.InstanceOf<IOException>());
        }
    }

    [Test]
    public void Load_ConfiguredCaCertificateIsNotACa_ThrowsSayingSo()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        using X509Certificate2 leaf = TestCertificates.CreateClient(files.Root, "CN=not a CA");
        TestCertificates.WritePem(files.IssuingChainPath, leaf, files.Root);
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, leaf);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Ca:CertificatePath: ").And.Contain("is not a CA"));
    }

    [TestCase("Est:Tls:CertificatePath")]
    [TestCase("Est:Tls:KeyPath")]
    public void Load_ConfiguredTlsFileUnreadable_ThrowsNamingItsSetting(string setting)
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        string unreadable = _dir.Combine("a-directory");
        Directory.CreateDirectory(unreadable);
        EstOptions options = files.Options();
        options = options with
        {
            Tls = setting == "Est:Tls:KeyPath" ? options.Tls with { KeyPath = unreadable } : options.Tls with { CertificatePath = unreadable },
        };

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(options, TimeProvider.System, PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.StartWith($"cannot load {setting}: "));
    }

    [Test]
    public void Load_ConfiguredTlsKeyOfAnotherCertificate_ThrowsNamingTls()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        using X509Certificate2 other = TestCertificates.CreateRootCa("CN=unrelated");
        TestCertificates.WriteKeyPem(files.TlsKeyPath, other);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.Load(files.Options(), TimeProvider.System, PkiNeeds.CaKey | PkiNeeds.TlsServer));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Tls: "));
    }

    [Test]
    public void LoadAuthority_ConfiguredCaWithoutItsKey_LoadsThePublicHalfWithoutReadingAnyKey()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        File.Delete(files.IssuingKeyPath);
        File.Delete(files.TlsKeyPath);

        (IssuingCa ca, IReadOnlyDictionary<string, string> builtIn, DevPkiLayout? dev, bool created) = PkiMaterialLoader.LoadAuthority(files.Options(), TimeProvider.System);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ca.ChainDer, Is.EqualTo(new[] { files.Issuing.RawData, files.Root.RawData }));
            Assert.That(builtIn, Is.Empty);
            Assert.That(dev, Is.Null);
            Assert.That(created, Is.False);
        }
    }

    [Test]
    public void LoadAuthority_NoCaConfigured_CreatesTheDevPkiAndNamesItsManufacturerAnchor()
    {
        (IssuingCa ca, IReadOnlyDictionary<string, string> builtIn, DevPkiLayout? dev, bool created) = PkiMaterialLoader.LoadAuthority(DevOptions(), TimeProvider.System);
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(layout.IssuingCaCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.True);
            Assert.That(dev?.Directory, Is.EqualTo(layout.Directory));
            Assert.That(ca.ChainDer[0], Is.EqualTo(issuing.RawData));
            Assert.That(builtIn.Keys, Is.EqualTo(new[] { "dev:manufacturer" }));
            Assert.That(builtIn["dev:manufacturer"], Is.EqualTo(layout.ManufacturerCaCertificate));
        }
    }

    [Test]
    public void LoadAuthority_ConfiguredCaFileMissing_ThrowsNamingTheSetting()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        File.Delete(files.IssuingChainPath);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => PkiMaterialLoader.LoadAuthority(files.Options(), TimeProvider.System));

        Assert.That(exception!.Message, Does.StartWith("cannot load Est:Ca:CertificatePath: "));
    }

    private EstOptions DevOptions() => new() { DataDir = _dir.Path };
}
