using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests;

/// <summary>The estserver command: a configuration mistake ends start-up with exit code 2 and the message only.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ProgramTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task Main_InvalidSettings_Returns2AndPrintsEveryProblemWithoutStackTrace()
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main([$"--Est:DataDir={_dir.Path}", "--Est:MaxRequestBodyBytes=5", "--Est:RetryAfter=00:00:00", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Is.EqualTo(
                "estserver: cannot start: Est:MaxRequestBodyBytes must be between 1024 and 16777216; Est:RetryAfter must be between 00:00:01 and 01:00:00" + Environment.NewLine));
        }
    }

    /// <summary>
    /// Under WebApplicationFactory the same Main runs; it turns the OptionsValidationException into exit
    /// code 2, so the factory cannot rethrow it and fails with an exception of its own instead.
    /// </summary>
    [Test]
    public void Main_InvalidSettingsUnderTestHost_ServerDoesNotStartAndCreatesNothing()
    {
        using var console = new ConsoleCapture();
        var factory = new EstHostFactory(new Dictionary<string, string?> { ["Est:MaxRequestBodyBytes"] = "5" });
        try
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(() => factory.CreateClient(), Throws.Exception);
                Assert.That(console.Error, Does.Contain("estserver: cannot start: Est:MaxRequestBodyBytes must be between 1024 and 16777216"));
                Assert.That(Directory.GetFileSystemEntries(factory.DataDir), Is.Empty);
            }
        }
        finally
        {
            try
            {
                factory.Dispose();
            }
            catch (ArgumentNullException)
            {
                // The factory cannot stop a host that never started (Host.StopAsync throws); the data dir is deleted regardless.
            }
        }
    }

    [Test]
    public async Task Main_ServeVerbWithInvalidSettings_Returns2()
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["serve", $"--Est:DataDir={_dir.Path}", "--Est:ProfilesReloadInterval=00:00:00", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.Contain("Est:ProfilesReloadInterval must be between"));
        }
    }

    [Test]
    public async Task Main_IncompleteDevPki_Returns2WithTheConfigurationMessage()
    {
        Directory.CreateDirectory(_dir.Combine("dev-pki"));
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main([$"--Est:DataDir={_dir.Path}", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.StartWith("estserver: cannot start: the development PKI at ").And.Contain("is incomplete"));
            Assert.That(console.Error, Does.Not.Contain(" at EstServer"));
        }
    }

    [Test]
    public async Task Main_CaKeyOfAnotherAlgorithm_Returns2SayingTheKeyDoesNotBelong()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        using System.Security.Cryptography.X509Certificates.X509Certificate2 rsaCa = TestCertificates.CreateRootCa("CN=Some RSA CA", keyType: TestKeyType.Rsa2048);
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, rsaCa);
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(
        [
            $"--Est:DataDir={_dir.Path}",
            $"--Est:Ca:CertificatePath={files.IssuingChainPath}",
            $"--Est:Ca:KeyPath={files.IssuingKeyPath}",
            $"--Est:Tls:CertificatePath={files.TlsCertificatePath}",
            $"--Est:Tls:KeyPath={files.TlsKeyPath}",
            $"--Est:ProfilesPath={files.ProfilesPath}",
            "--urls=http://127.0.0.1:0",
        ]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.Contain("does not belong to the CA certificate"));
        }
    }

    [Test]
    public async Task Main_InvalidProfileSet_Returns2PrintingEveryDiagnosticWithoutStackTrace()
    {
        string profiles = TestProfile.WriteDirectory(
            _dir.Combine("profiles"),
            new TestProfile { Name = "one", Labels = ["shared"] },
            new TestProfile { Name = "two", Labels = ["shared"], Validity = "0d" });
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main([$"--Est:DataDir={_dir.Path}", $"--Est:ProfilesPath={profiles}", "--urls=http://127.0.0.1:0"]);
        string[] lines = console.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        string two = Path.Combine(profiles, "two.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(lines, Is.EqualTo(new[]
            {
                $"estserver: cannot start: invalid profile set (2 problems): {two}:6:11: error [validity]: validity must be longer than zero",
                $"{two}:2:10: error [duplicate-label]: label 'shared' is already served by profile 'one' ({Path.Combine(profiles, "one.yaml")}:2)",
            }));
        }
    }

    [Test]
    public async Task Main_ProfileSetWithOneProblem_Returns2PrintingItOnOneLine()
    {
        string profiles = TestProfile.WriteDirectory(_dir.Combine("profiles"), new TestProfile { Name = "one", Validity = "0d" });
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main([$"--Est:DataDir={_dir.Path}", $"--Est:ProfilesPath={profiles}", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Is.EqualTo(
                $"estserver: cannot start: invalid profile set: {Path.Combine(profiles, "one.yaml")}:6:11: error [validity]: validity must be longer than zero{Environment.NewLine}"));
        }
    }

    [Test]
    public async Task Main_KeyBlocklistWithAnInvalidLine_Returns2NamingFileAndLineWithoutStackTrace()
    {
        string blocklist = _dir.Combine("blocked-keys.txt");
        await File.WriteAllTextAsync(blocklist, "# known-bad keys\nnot-a-digest\n");
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main([$"--Est:DataDir={_dir.Path}", $"--Est:KeyBlocklistPath={blocklist}", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Is.EqualTo(
                $"estserver: cannot start: cannot load Est:KeyBlocklistPath: {blocklist}: 'not-a-digest' is not a SHA-256 hex digest of a SubjectPublicKeyInfo{Environment.NewLine}"));
            Assert.That(console.Out, Does.Not.Contain("   at "), "a configuration mistake is reported by its message, not a stack trace");
        }
    }

    [Test]
    public async Task Main_SignerVerbWithoutRedis_Returns2SayingWhereJobsComeFrom()
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["signer", $"--Est:DataDir={_dir.Path}"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Is.EqualTo(
                "estserver signer: cannot start: a signer worker takes its jobs from Redis: set Est:Redis (e.g. Est__Redis=127.0.0.1:6379)" + Environment.NewLine));
        }
    }

    [Test]
    public async Task Main_ProbeVerbOnAnUnreachableUrl_Returns1NamingTheUrl()
    {
        string url = $"https://127.0.0.1:{ClosedPort()}/healthz";
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["probe", url]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(console.Error, Does.StartWith($"{url}: "));
            Assert.That(console.Out, Is.Empty);
        }
    }

    [Test]
    public async Task Main_ProfilesVerb_ChecksTheShippedProfiles()
    {
        using var environment = new EnvironmentVariableScope().Set("EST_DATA_DIR", _dir.Path).Set("EST_CONFIG_DIR", _dir.Path);
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["profiles", "check", Path.Combine(RepositoryPaths.Root, "config", "profiles")]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, console.Out + console.Error);
            Assert.That(console.Out, Does.Contain("3 profile(s) valid in "));
        }
    }

    [Test]
    public async Task Main_ProfilesVerbOnIncompleteDevPki_Returns2WithTheMessageOnOneLine()
    {
        Directory.CreateDirectory(_dir.Combine("dev-pki"));
        using var environment = new EnvironmentVariableScope().Set("EST_DATA_DIR", _dir.Path).Set("EST_CONFIG_DIR", _dir.Path);
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["profiles", "check", Path.Combine(RepositoryPaths.Root, "config", "profiles")]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.StartWith("estserver: the development PKI at ").And.Contain("is incomplete"));
            Assert.That(console.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "no stack trace");
        }
    }

    [TestCase("frobnicate")]
    [TestCase("Serve")]
    public async Task Main_UnknownCommand_Returns2WithUsageAndStartsNothing(string command)
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main([command, $"--Est:DataDir={_dir.Path}", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Is.EqualTo($"estserver: unknown command '{command}'" + Environment.NewLine + Program.Usage + Environment.NewLine));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.Empty);
        }
    }

    [Test]
    public async Task Main_ConfigurationArgumentsWithoutVerb_AreTheServersSettings()
    {
        using var console = new ConsoleCapture();

        // Est:Name=value and --Est:Name=value are settings, not commands: the server validates them.
        int exitCode = await Program.Main([$"Est:DataDir={_dir.Path}", "Est:MaxRequestBodyBytes=5", "--urls=http://127.0.0.1:0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.StartWith("estserver: cannot start: Est:MaxRequestBodyBytes must be between"));
        }
    }

    [Test]
    public async Task Main_ProfilesVerbWithoutSubcommand_Returns2WithUsage()
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["profiles"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.StartWith("usage: estserver profiles check"));
        }
    }

    [Test]
    public async Task Main_DevDeviceVerb_MintsADevice()
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["dev-device", "cli-device", "--data-dir", _dir.Path]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, console.Error);
            Assert.That(File.Exists(_dir.Combine("dev-pki", "devices", "cli-device.pem")), Is.True);
        }
    }

    [Test]
    public async Task Main_DevDeviceVerbOnIncompleteDevPki_Returns2WithTheMessageOnOneLine()
    {
        Directory.CreateDirectory(_dir.Combine("dev-pki"));
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["dev-device", "cli-device", "--data-dir", _dir.Path]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.StartWith("estserver: the development PKI at ").And.Contain("is incomplete"));
            Assert.That(console.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "no stack trace");
            Assert.That(console.Out, Is.Empty);
        }
    }

    [Test]
    public async Task Main_DevDeviceVerbWithoutName_Returns2WithUsage()
    {
        using var console = new ConsoleCapture();

        int exitCode = await Program.Main(["dev-device"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(console.Error, Does.StartWith("usage: estserver dev-device NAME"));
        }
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
