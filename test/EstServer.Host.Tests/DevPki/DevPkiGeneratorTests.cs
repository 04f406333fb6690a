using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Host.Tests.DevPki;

/// <summary>The development PKI: created whole on first use, reused afterwards, with demo devices minted on demand.</summary>
[TestFixture]
public sealed class DevPkiGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private TempDirectory _dir = null!;
    private DevPkiLayout _layout = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = new TempDirectory();
        _layout = DevPkiLayout.InDataDir(_dir.Combine("data"));
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public void EnsureCreated_NoDirectory_WritesEveryRequiredFileAndReturnsTrue()
    {
        bool created = DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.True);
            Assert.That(_layout.RequiredFiles.Where(path => !File.Exists(path)), Is.Empty);
            Assert.That(Directory.Exists(_layout.DevicesDirectory), Is.True);
        }
    }

    [Test]
    public void EnsureCreated_AlreadyThere_ReturnsFalseAndChangesNothing()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        Dictionary<string, byte[]> before = _layout.RequiredFiles.ToDictionary(path => path, File.ReadAllBytes);

        bool created = DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now.AddDays(1)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False);
            foreach ((string path, byte[] bytes) in before)
            {
                Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes), path);
            }
        }
    }

    [Test]
    public void EnsureCreated_Finished_LeavesNoScratchDirectoryBehind()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        Assert.That(Directory.GetFileSystemEntries(_dir.Combine("data")).Select(Path.GetFileName), Is.EqualTo(new[] { "dev-pki" }));
    }

    [Test]
    public void EnsureCreated_DirectoryWithMissingCertificate_ThrowsInsteadOfRepairing()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        File.Delete(_layout.ManufacturerCaCertificate);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Is.EqualTo(
                $"the development PKI at {_layout.Directory} is incomplete (missing manufacturer-ca.pem); delete that directory to have it created again"));
            Assert.That(File.Exists(_layout.ManufacturerCaCertificate), Is.False);
        }
    }

    [Test]
    public void EnsureCreated_DirectoryWithoutThePrivateKeys_IsUsedAsItIs()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        string[] keys = [_layout.RootKey, _layout.IssuingCaKey, _layout.ServerKey, _layout.ManufacturerCaKey, _layout.DeviceKey];
        foreach (string key in keys)
        {
            File.Delete(key);
        }

        Dictionary<string, byte[]> before = _layout.RequiredFiles.ToDictionary(path => path, File.ReadAllBytes);

        bool created = DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.False, "a copy without keys (a host in Redis mode) is not an incomplete PKI; keys are checked where they are loaded");
            Assert.That(keys.Where(File.Exists), Is.Empty, "nothing is regenerated");
            foreach ((string path, byte[] bytes) in before)
            {
                Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes), path);
            }
        }
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public void EnsureCreated_Keys_AreOwnerReadWriteOnly()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        string[] keys = [_layout.RootKey, _layout.IssuingCaKey, _layout.ServerKey, _layout.ManufacturerCaKey, _layout.DeviceKey];
        Assert.That(keys.Select(File.GetUnixFileMode), Is.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void EnsureCreated_EveryKey_MatchesItsCertificate()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        (string Certificate, string Key)[] pairs =
        [
            (_layout.TrustAnchor, _layout.RootKey),
            (_layout.IssuingCaCertificate, _layout.IssuingCaKey),
            (_layout.ServerCertificate, _layout.ServerKey),
            (_layout.ManufacturerCaCertificate, _layout.ManufacturerCaKey),
            (_layout.DeviceCertificate, _layout.DeviceKey),
        ];
        foreach ((string certificate, string key) in pairs)
        {
            Assert.That(() => PemFiles.LoadWithKey(certificate, key).Dispose(), Throws.Nothing, certificate);
        }
    }

    [Test]
    public void EnsureCreated_IssuingCa_IsAPathLengthZeroCaUnderTheRoot()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(_layout.TrustAnchor);
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(_layout.IssuingCaCertificate);
        X509BasicConstraintsExtension? constraints = issuing.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.SubjectName.RawData, Is.EqualTo(root.IssuerName.RawData), "the trust anchor is self-signed");
            Assert.That(ChainsTo(issuing, root), Is.True);
            Assert.That(constraints?.CertificateAuthority, Is.True);
            Assert.That(constraints?.HasPathLengthConstraint, Is.True);
            Assert.That(constraints?.PathLengthConstraint, Is.Zero);
        }
    }

    [Test]
    public void EnsureCreated_ServerCertificate_NamesTheLoopbackForServerAuthUnderTheRoot()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(_layout.TrustAnchor);
        using X509Certificate2 server = X509CertificateLoader.LoadCertificateFromFile(_layout.ServerCertificate);
        X509SubjectAlternativeNameExtension? names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ChainsTo(server, root), Is.True);
            Assert.That(names?.EnumerateDnsNames(), Is.EqualTo(new[] { "localhost" }));
            Assert.That(names?.EnumerateIPAddresses().Select(ip => ip.ToString()), Is.EquivalentTo(new[] { "127.0.0.1", "::1" }));
            Assert.That(server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value), Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.1" }));
        }
    }

    [Test]
    public void EnsureCreated_DemoDevice_IsAnIdevidOfTheManufacturerWithItsSerialInTheSubject()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        using X509Certificate2 manufacturer = X509CertificateLoader.LoadCertificateFromFile(_layout.ManufacturerCaCertificate);
        using X509Certificate2 device = X509CertificateLoader.LoadCertificateFromFile(_layout.DeviceCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ChainsTo(device, manufacturer), Is.True);
            Assert.That(device.Subject, Does.Contain("CN=demo-device-0001").And.Contain("SERIALNUMBER=DEMO-DEVICE-0001"));
            Assert.That(device.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value), Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.2" }));
        }
    }

    [Test]
    public void EnsureCreated_Certificates_AreBackdatedFiveMinutes()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        string[] certificates = [_layout.TrustAnchor, _layout.IssuingCaCertificate, _layout.ServerCertificate, _layout.ManufacturerCaCertificate, _layout.DeviceCertificate];
        Assert.That(
            certificates.Select(path => X509CertificateLoader.LoadCertificateFromFile(path).NotBefore.ToUniversalTime()),
            Is.All.EqualTo(Now.UtcDateTime.AddMinutes(-5)));
    }

    [Test]
    public void MintDevice_NewName_WritesACertificateOfTheManufacturerAndItsKey()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));

        (string certificatePath, string keyPath) = DevPkiGenerator.MintDevice(_layout, "sensor-7", TimeProvider.System);
        using X509Certificate2 device = PemFiles.LoadWithKey(certificatePath, keyPath);
        using X509Certificate2 manufacturer = X509CertificateLoader.LoadCertificateFromFile(_layout.ManufacturerCaCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificatePath, Is.EqualTo(Path.Combine(_layout.DevicesDirectory, "sensor-7.pem")));
            Assert.That(keyPath, Is.EqualTo(Path.Combine(_layout.DevicesDirectory, "sensor-7.key")));
            Assert.That(device.GetNameInfo(X509NameType.SimpleName, forIssuer: false), Is.EqualTo("sensor-7"));
            Assert.That(ChainsTo(device, manufacturer), Is.True);
        }
    }

    [Test]
    public void MintDevice_SameNameAgain_ReplacesCertificateAndKeyTogether()
    {
        DevPkiGenerator.EnsureCreated(_layout, new FakeTimeProvider(Now));
        (string certificatePath, string keyPath) = DevPkiGenerator.MintDevice(_layout, "sensor-8", TimeProvider.System);
        byte[] firstCertificate = File.ReadAllBytes(certificatePath);

        _ = DevPkiGenerator.MintDevice(_layout, "sensor-8", TimeProvider.System);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllBytes(certificatePath), Is.Not.EqualTo(firstCertificate));
            Assert.That(() => PemFiles.LoadWithKey(certificatePath, keyPath).Dispose(), Throws.Nothing);
        }
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 anchor)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }
}
