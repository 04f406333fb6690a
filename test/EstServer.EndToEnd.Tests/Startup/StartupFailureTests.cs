using System.Text.RegularExpressions;
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
        _work = new TempDirectory("startup");
        _config = new TempDirectory("empty-config");
    }

    [TearDown]
    public void DeleteDirectories()
    {
        _work?.Dispose();
        _config?.Dispose();
    }

    [TestCase("--Est:MaxRequestBodyBytes=10", "Est:MaxRequestBodyBytes must be between 1024 and 16777216")]
    [TestCase("--Est:ProfilesReloadInterval=00:00:00.010", "Est:ProfilesReloadInterval must be between")]
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
        // A certificate every process needs; private keys are checked where they are loaded.
        File.Delete(layout.ManufacturerCaCertificate);

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0");

        AssertRefusedToStart(run, "incomplete (missing manufacturer-ca.pem)");
    }

    [Test]
    public async Task Startup_ConfiguredCaFileMissing_ExitsTwoNamingSetting()
    {
        CommandResult run = await RunServerAsync(
            "--urls", "https://127.0.0.1:0",
            "--Est:Ca:CertificatePath=missing-ca.pem",
            "--Est:Ca:KeyPath=missing-ca.key",
            "--Est:Tls:CertificatePath=missing-tls.pem",
            "--Est:Tls:KeyPath=missing-tls.key");

        AssertRefusedToStart(run, "cannot load Est:Ca:CertificatePath");
    }

    [Test]
    public async Task Startup_ConfiguredProfilesPathMissing_ExitsTwoNamingDirectory()
    {
        string missing = _work.Combine("no-such-profiles");

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", "--Est:ProfilesPath=" + missing);

        AssertRefusedToStart(run, missing + ": error [directory]: profile directory does not exist");
    }

    [Test]
    public async Task Startup_ConfiguredProfilesPathMissing_ReasonIsOneLine()
    {
        // One problem, one line: a log collector that keeps the first line must keep the reason.
        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", "--Est:ProfilesPath=" + _work.Combine("no-such-profiles"));

        Assert.That(run.StandardError.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1).And.One.StartsWith("estserver: cannot start: ").And.Contains("profile directory does not exist"), run.ToString());
    }

    [Test]
    public async Task Startup_ConfiguredProfilesPathEmpty_ExitsTwoSayingNoProfiles()
    {
        string empty = _work.Combine("empty-profiles");
        Directory.CreateDirectory(empty);

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", "--Est:ProfilesPath=" + empty);

        AssertRefusedToStart(run, "no profile files (*.yaml)");
    }

    [TestCase("cacerts", "label 'cacerts' is an EST operation name")]
    [TestCase("a/b", "label 'a/b' must be one URL path segment")]
    public async Task Startup_ProfileWithInvalidLabel_ExitsTwoWithLocatedReason(string label, string reason)
    {
        string directory = TestProfile.WriteDirectory(_work.Combine("profiles"), new TestProfile { Name = "bad-label", Labels = [label] });

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", "--Est:ProfilesPath=" + directory);

        // TestProfile writes "labels: [...]" on line 2.
        AssertRefusedToStart(run, reason);
        Assert.That(run.StandardError, Does.Match(Regex.Escape(Path.Combine(directory, "bad-label.yaml")) + @":2:\d+: error \[labels\]: "), run.ToString());
    }

    [Test]
    public async Task Startup_TwoProfilesClaimOneLabel_ExitsTwoNamingBothFiles()
    {
        string directory = TestProfile.WriteDirectory(
            _work.Combine("profiles"),
            new TestProfile { Name = "first", Labels = ["shared"] },
            new TestProfile { Name = "second", Labels = ["shared"] });

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", "--Est:ProfilesPath=" + directory);

        AssertRefusedToStart(run, "error [duplicate-label]: label 'shared' is already served by profile 'first'");
        Assert.That(run.StandardError, Does.Contain(Path.Combine(directory, "second.yaml") + ":2:").And.Contain(Path.Combine(directory, "first.yaml")), run.ToString());
    }

    [Test]
    public async Task Startup_ProfileWithUnclosedFlowList_ExitsTwoWithLocatedYamlError()
    {
        // A closing bracket forgotten in an edit: "labels: [field" followed by the next key.
        string directory = TestProfile.WriteDirectory(_work.Combine("profiles"), new TestProfile { Name = "unclosed", Labels = ["field"] });
        string file = Path.Combine(directory, "unclosed.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("labels: [field]", "labels: [field", StringComparison.Ordinal));

        CommandResult run = await RunServerAsync("--urls", "https://127.0.0.1:0", "--Est:ProfilesPath=" + directory);

        AssertRefusedToStart(run, file + ":");
        Assert.That(run.StandardError, Does.Match(Regex.Escape(file) + @":\d+:\d+: error \[yaml\]: "), run.ToString());
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
        CommandRunner.EstServerAsync(_work.Path, _config.Path, arguments, RunTimeout);
}
