using System.Net;
using System.Net.Sockets;
using EstServer.EndToEnd.Tests.Support;
using EstServer.Host.DevPki;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Startup;

/// <summary>
/// Failures the host itself meets while starting (a port already taken, a key file that cannot be
/// read) end like configuration mistakes: exit code 2 and one line naming the setting, with no log
/// of the host's own "Hosting failed to start" and no stack trace.
/// </summary>
[TestFixture]
public sealed class StartupOneLineFailureTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private TempDirectory _work = null!;
    private TempDirectory _config = null!;
    private DevPkiLayout _pki = null!;
    private string _profiles = null!;

    [SetUp]
    public void CreateDirectories()
    {
        _work = new TempDirectory("startup-one-line");
        _config = new TempDirectory("empty-config");

        // Made beforehand, so that the server has nothing to announce at Warning level or above.
        _pki = DevPkiLayout.InDataDir(_work.Combine("data"));
        DevPkiGenerator.EnsureCreated(_pki, TimeProvider.System);
        _profiles = TestProfile.WriteDirectory(_work.Combine("profiles"), new TestProfile { Name = "device", Default = true });
    }

    [TearDown]
    public void DeleteDirectories()
    {
        _work?.Dispose();
        _config?.Dispose();
    }

    [Test]
    public async Task Startup_PortAlreadyInUse_ExitsTwoWithOneLineNamingTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string url = $"https://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        CommandResult run = await RunServerAsync("--urls", url, "--Est:ProfilesPath=" + _profiles);

        AssertOneLine(run, $"estserver: cannot start: urls {url} is already in use (address in use)");
    }

    [TestCase("Est:Ca:KeyPath")]
    [TestCase("Est:Tls:KeyPath")]
    public async Task Startup_KeyFileUnreadable_ExitsTwoWithOneLineNamingTheSetting(string setting)
    {
        // A directory where the key file should be: unreadable even to root, which ignores file modes.
        string unreadable = _work.Combine("unreadable.key");
        Directory.CreateDirectory(unreadable);
        var keys = new Dictionary<string, string> { ["Est:Ca:KeyPath"] = _pki.IssuingCaKey, ["Est:Tls:KeyPath"] = _pki.ServerKey };
        keys[setting] = unreadable;

        CommandResult run = await RunServerAsync(
            "--urls", "https://127.0.0.1:0",
            "--Est:ProfilesPath=" + _profiles,
            "--Est:Ca:CertificatePath=" + _pki.IssuingCaCertificate,
            "--Est:Ca:ChainPath=" + _pki.TrustAnchor,
            "--Est:Ca:KeyPath=" + keys["Est:Ca:KeyPath"],
            "--Est:Tls:CertificatePath=" + _pki.ServerCertificate,
            "--Est:Tls:KeyPath=" + keys["Est:Tls:KeyPath"]);

        AssertOneLine(run, $"estserver: cannot start: cannot load {setting}: ");
    }

    private static void AssertOneLine(CommandResult run, string expectedStart)
    {
        string[] lines = (run.StandardOutput + run.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(lines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.StandardError, Does.StartWith(expectedStart), run.ToString());
        }
    }

    /// <summary>At Warning level, as a quiet production log runs: anything printed besides the reason would be a warning or worse.</summary>
    private Task<CommandResult> RunServerAsync(params string[] arguments) =>
        CommandRunner.EstServerAsync(_work.Path, _config.Path, ["--Logging:LogLevel:Default=Warning", .. arguments], RunTimeout);
}
