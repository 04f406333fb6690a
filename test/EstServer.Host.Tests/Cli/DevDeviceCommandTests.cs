using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Cli;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Cli;

/// <summary>estserver dev-device NAME [--count N] [--data-dir DIR]: demo device identities for tests and load runs.</summary>
[TestFixture]
public sealed class DevDeviceCommandTests
{
    private const string Usage = "usage: estserver dev-device NAME [--count N] [--data-dir DIR]   (NAME: letters, digits, '-', '_')";

    private TempDirectory _dir = null!;
    private StringWriter _out = null!;
    private StringWriter _err = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = new TempDirectory();
        _out = new StringWriter();
        _err = new StringWriter();
    }

    [TearDown]
    public void DeleteDirectory()
    {
        _out.Dispose();
        _err.Dispose();
        _dir.Dispose();
    }

    [Test]
    public void Run_CountThree_MintsThreeNumberedDevicesOfTheManufacturer()
    {
        int exitCode = DevDeviceCommand.Run(["line", "--count", "3", "--data-dir", _dir.Path], _out, _err);

        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        using X509Certificate2 manufacturer = X509CertificateLoader.LoadCertificateFromFile(layout.ManufacturerCaCertificate);
        string[] names = ["line-0001", "line-0002", "line-0003"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, _err.ToString());
            Assert.That(Directory.GetFiles(layout.DevicesDirectory, "*.pem").Select(Path.GetFileNameWithoutExtension), Is.EquivalentTo(names));
            foreach (string name in names)
            {
                using X509Certificate2 device = TestCertificates.LoadPem(Path.Combine(layout.DevicesDirectory, name + ".pem"), Path.Combine(layout.DevicesDirectory, name + ".key"));
                Assert.That(device.GetNameInfo(X509NameType.SimpleName, forIssuer: false), Is.EqualTo(name));
                Assert.That(ChainsTo(device, manufacturer), Is.True, name);
            }
        }
    }

    [Test]
    [Platform(Exclude = "Win")]
    [UnsupportedOSPlatform("windows")]
    public void Run_CountThree_KeysAreOwnerReadWriteOnly()
    {
        DevDeviceCommand.Run(["line", "--count", "3", "--data-dir", _dir.Path], _out, _err);

        string[] keys = Directory.GetFiles(DevPkiLayout.InDataDir(_dir.Path).DevicesDirectory, "*.key");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys, Has.Length.EqualTo(3));
            Assert.That(keys.Select(File.GetUnixFileMode), Is.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void Run_NoDevPkiYet_CreatesItAndPrintsOneLinePerDevice()
    {
        int exitCode = DevDeviceCommand.Run(["line", "--count", "2", "--data-dir", _dir.Path], _out, _err);

        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        string devices = layout.DevicesDirectory;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(_out.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                $"created the development PKI in {layout.Directory}",
                $"{devices}/line-0001.pem {devices}/line-0001.key",
                $"{devices}/line-0002.pem {devices}/line-0002.key",
            }));
            Assert.That(_err.ToString(), Is.Empty);
        }
    }

    [Test]
    public void Run_DevPkiExists_ReusesItAndMintsUnderTheSameManufacturer()
    {
        DevDeviceCommand.Run(["first", "--data-dir", _dir.Path], _out, _err);
        byte[] manufacturer = File.ReadAllBytes(DevPkiLayout.InDataDir(_dir.Path).ManufacturerCaCertificate);
        using var secondOut = new StringWriter();

        int exitCode = DevDeviceCommand.Run(["second", "--data-dir", _dir.Path], secondOut, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(secondOut.ToString(), Does.Not.Contain("created the development PKI"));
            Assert.That(File.ReadAllBytes(DevPkiLayout.InDataDir(_dir.Path).ManufacturerCaCertificate), Is.EqualTo(manufacturer));
        }
    }

    [Test]
    public void Run_CountOne_UsesTheNameAsIs()
    {
        int exitCode = DevDeviceCommand.Run(["--data-dir", _dir.Path, "solo-device"], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(File.Exists(Path.Combine(DevPkiLayout.InDataDir(_dir.Path).DevicesDirectory, "solo-device.pem")), Is.True);
        }
    }

    /// <summary>The usage allows '_' in NAME, and the name goes into the subject's serialNumber attribute.</summary>
    [Test]
    public void Run_NameWithUnderscore_MintsTheDevice()
    {
        int exitCode = DevDeviceCommand.Run(["--data-dir", _dir.Path, "solo_device"], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(File.Exists(Path.Combine(DevPkiLayout.InDataDir(_dir.Path).DevicesDirectory, "solo_device.pem")), Is.True);
        }
    }

    [Test]
    public void Run_NoDataDirOption_UsesEstDataDir()
    {
        using var environment = new EnvironmentVariableScope().Set("EST_DATA_DIR", _dir.Path);

        int exitCode = DevDeviceCommand.Run(["from-env"], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(File.Exists(Path.Combine(DevPkiLayout.InDataDir(_dir.Path).DevicesDirectory, "from-env.pem")), Is.True);
        }
    }

    /// <summary>A configuration problem is thrown as such; Program.Main turns it into exit code 2 and its message (see ProgramTests).</summary>
    [Test]
    public void Run_IncompleteDevPki_ThrowsConfigurationErrorAndMintsNothing()
    {
        DevPkiLayout layout = DevPkiLayout.InDataDir(_dir.Path);
        Directory.CreateDirectory(layout.Directory);

        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => DevDeviceCommand.Run(["device", "--data-dir", _dir.Path], _out, _err));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Message, Does.Contain("is incomplete"));
            Assert.That(Directory.Exists(layout.DevicesDirectory), Is.False);
            Assert.That(_out.ToString(), Is.Empty);
        }
    }

    [Test]
    public void Run_NoArguments_Returns2WithUsage()
    {
        int exitCode = DevDeviceCommand.Run([], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(_err.ToString(), Is.EqualTo(Usage + Environment.NewLine));
            Assert.That(_out.ToString(), Is.Empty);
        }
    }

    [TestCase("--count", "0")]
    [TestCase("--count", "-1")]
    [TestCase("--count", "100001")]
    [TestCase("--count", "three")]
    [TestCase("--count")]
    [TestCase("--data-dir")]
    [TestCase("--verbose")]
    [TestCase("second-name")]
    [TestCase("bad/name")]
    public void Run_BadArgument_Returns2WithUsageAndMintsNothing(params string[] extra)
    {
        int exitCode = DevDeviceCommand.Run(["device", "--data-dir", _dir.Path, .. extra], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(_err.ToString(), Does.StartWith("estserver dev-device: unexpected argument '").And.EndWith(Usage + Environment.NewLine));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.Empty);
        }
    }

    [TestCase("bad name")]
    [TestCase("dots.are.not.allowed")]
    [TestCase("-leading-dash")]
    public void Run_InvalidName_Returns2NamingIt(string name)
    {
        int exitCode = DevDeviceCommand.Run([name, "--data-dir", _dir.Path], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(_err.ToString(), Does.StartWith($"estserver dev-device: unexpected argument '{name}'"));
        }
    }

    [Test]
    public void Run_NameOf65Characters_Returns2()
    {
        Assert.That(DevDeviceCommand.Run([new string('n', 65), "--data-dir", _dir.Path], _out, _err), Is.EqualTo(2));
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 anchor)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
