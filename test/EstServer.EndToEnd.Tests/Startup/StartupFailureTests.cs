using EstServer.EndToEnd.Tests.Support;
using EstServer.Host.DevPki;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Startup;

/// <summary>The binary refusing to start: exit code 2 and one line saying why, never a stack trace.</summary>
[TestFixture]
public sealed class StartupFailureTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private TempDirectory _work = null!;
    private TempDirectory _config = null!;

    [SetUp]
    public void CreateDirectories()
    {
        _work = TempDirectory.Create("startup");
        _config = TempDirectory.Create("empty-config");
    }

    [TearDown]
    public void DeleteDirectories()
    {
        _work?.Dispose();
        _config?.Dispose();
    }

    [TestCase("--Est:MaxRequestBodyBytes=10", "Est:MaxRequestBodyBytes must be between 1024 and 16777216")]
    [TestCase("--Est:Labels:0=cacerts", "Est:Labels entry 'cacerts' is an EST operation name")]
    [TestCase("--Est:Labels:0=a/b", "Est:Labels entry 'a/b' must be one URL path segment")]
    [TestCase("--Est:Ca:CertificatePath=ca.pem", "Est:Ca:KeyPath is required")]
    public async Task Startup_InvalidSetting_ExitsTwoWithReason(string setting, string reason)
    {
        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", setting);

        AssertRefusedToStart(run, reason);
    }

    [Test]
    public async Task Startup_IncompleteDevPki_ExitsTwoNamingMissingFile()
    {
        var layout = DevPkiLayout.InDataDir(_work.Combine("data"));
        DevPkiGenerator.EnsureCreated(layout, TimeProvider.System);
        File.Delete(layout.DeviceKey);

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0");

        AssertRefusedToStart(run, "incomplete (missing device.key)");
    }

    [Test]
    public async Task Startup_ConfiguredCaFileMissing_ExitsTwoNamingSetting()
    {
        CommandResult run = await RunServerAsync(
            "--urls", "https://127.0.0.1:0",
            "--Est:Ca:CertificatePath=missing-ca.pem",
            "--Est:Ca:KeyPath=missing-ca.key",
            "--Est:Tls:CertificatePath=missing-tls.pem",
            "--Est:Tls:KeyPath=missing-tls.key",
            "--Est:DeviceTrustAnchors:0=missing-idevid-ca.pem");

        AssertRefusedToStart(run, "cannot load Est:Ca:CertificatePath");
    }

    private static void AssertRefusedToStart(CommandResult run, string reason)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.StandardError, Does.Contain("estserver: cannot start: ").And.Contain(reason), run.ToString());
            Assert.That(run.StandardError + run.StandardOutput, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(run.StandardOutput, Does.Not.Contain(PrintedInstructions.ReadyMarker), "it never became ready");
        }
    }

    private Task<CommandResult> RunServerAsync(params string[] arguments) =>
        CommandRunner.RunAsync(
            DotnetHost.Path,
            [RepositoryPaths.ServerAssembly, .. arguments],
            _work.Path,
            RunTimeout,
            environment: env => DotnetHost.IsolateEnvironment(env, _config.Path));
}
