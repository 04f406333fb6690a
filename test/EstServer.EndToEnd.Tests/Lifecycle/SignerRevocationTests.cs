using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Lifecycle;

/// <summary>
/// Revocation in the scaled-out deployment: a real redis-server and PostgreSQL, a signer worker holding
/// the CA key and an EST host with a copy of the development PKI without it, all the built binary. The
/// signer names the host's plain-HTTP address in what it issues and publishes the CRLs into PostgreSQL;
/// the host serves them and answers OCSP from the same database; estserver certs revoke run with only
/// --Est:Database reaches the host within seconds. Under CI=true missing PostgreSQL or Redis fails.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SignerRevocationTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private TempDirectory _root = null!;
    private ServerProcess? _signer;
    private EstTestServer? _host;
    private LifecycleShell _shell = null!;
    private string _database = "";
    private string _httpUrl = "";

    private string ConfigDirectory => _root.Combine("config");

    private string SignerDataDirectory => _root.Combine("signer-data");

    private string HostDataDirectory => _root.Combine("host-data");

    private EstTestServer Host => _host ?? throw new InvalidOperationException("not started");

    private ServerProcess Signer => _signer ?? throw new InvalidOperationException("not started");

    [OneTimeSetUp]
    public async Task StartDeployment()
    {
        RequireInstalled(RedisServer.FindExecutable() is not null, RedisServer.Required, "redis-server", "redis-server");
        RequireInstalled(PostgresServer.FindBinDirectory() is not null, PostgresServer.Required, "PostgreSQL", "postgresql");
        _redis = RedisServer.Start();
        _postgres = PostgresServer.Start();
        _database = _postgres.CreateDatabase();
        _root = new TempDirectory("lifecycle-signer");
        _httpUrl = FreePort.HttpUrl();
        Directory.CreateDirectory(SignerDataDirectory);
        TestProfile.WriteDirectory(Path.Combine(ConfigDirectory, "profiles"), new TestProfile { Name = "lifecycle-signer", Default = true });

        // The signer creates the development PKI and the queue secret; the host gets them without the CA keys.
        _signer = ServerProcess.Start("signer", SignerDataDirectory, ConfigDirectory, Environment(SignerDataDirectory), ["signer"]);
        await _signer.WaitForLineAsync(line => line.Contains("reading the job stream", StringComparison.Ordinal), StartTimeout);
        CopyDirectory(Path.Combine(SignerDataDirectory, "dev-pki"), Path.Combine(HostDataDirectory, "dev-pki"), skip: ["issuing-ca.key", "root-ca.key"]);
        File.Copy(Path.Combine(SignerDataDirectory, "queue-secret"), Path.Combine(HostDataDirectory, "queue-secret"));
        _host = await EstTestServer.StartAsync(new()
        {
            Binary = true,
            Name = "host",
            Purpose = "lifecycle-host",
            WorkingDirectory = HostDataDirectory,
            DataDirectory = HostDataDirectory,
            ConfigDirectory = ConfigDirectory,
            Profiles = null,
            Settings = ["--Est:Revocation:HttpUrl", _httpUrl],
            Environment = Environment(HostDataDirectory),
            ReadyLine = line => line.Contains(PrintedInstructions.ReadyMarker, StringComparison.Ordinal),
            ReadyTimeout = StartTimeout,
        });
        string shellDirectory = _root.Combine("shell");
        Directory.CreateDirectory(shellDirectory);
        _shell = new LifecycleShell(shellDirectory, _root.Combine("empty-config"), HostDataDirectory);
        Directory.CreateDirectory(_shell.ConfigDirectory);
    }

    [OneTimeTearDown]
    public async Task StopDeployment()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_signer is not null)
        {
            await _signer.DisposeAsync();
        }

        _root?.Dispose();
        _redis?.Dispose();
        _postgres?.Dispose();
    }

    [Test]
    public async Task Crl_RedisMode_PublishedBySignerAndServedByHostWithoutCaKey()
    {
        await _shell.EnrollOkAsync(Host.BaseAddress, "signed-by-worker", Host.Pki.DeviceCertificate, Host.Pki.DeviceKey);
        Uri crlUrl = await _shell.CrlUrlAsync("signed-by-worker");

        string crl = await _shell.FetchCrlAsync(crlUrl, "signer-crl");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(crlUrl.GetLeftPart(UriPartial.Authority), Is.EqualTo(_httpUrl), "the signer names the host's plain-HTTP listener");
            Assert.That(Host.HttpAddress?.GetLeftPart(UriPartial.Authority), Is.EqualTo(_httpUrl));
            Assert.That(File.Exists(Path.Combine(HostDataDirectory, "dev-pki", "issuing-ca.key")), Is.False, "the host has no CA key");
            Assert.That(LifecycleShell.CrlNumber(crl), Is.GreaterThanOrEqualTo(1), crl);
            Assert.That(Signer.OutputLines, Has.Some.Contains("Published CRL"), Signer.Describe());
            Assert.That(Host.Process!.OutputLines, Has.None.Contains("Published CRL"), Host.Process.Describe());
        }
    }

    [Test]
    public async Task CertsRevoke_DatabaseSettingOnly_HostOcspAndCrlSayRevokedWithinDeadline()
    {
        const string name = "revoked-in-postgres";
        await _shell.EnrollOkAsync(Host.BaseAddress, name, Host.Pki.DeviceCertificate, Host.Pki.DeviceKey);
        string serial = await _shell.SerialAsync(name);
        await _shell.WaitForOcspAsync(name, "good");

        // No data directory, no Redis: the CLI reaches the shared store by its connection string alone.
        CommandResult revoke = await CommandRunner.EstServerAsync(
            _shell.WorkingDirectory, _shell.ConfigDirectory, ["certs", "revoke", serial, "--reason", "keyCompromise", "--Est:Database=" + _database]);
        Assert.That(revoke.ExitCode, Is.Zero, revoke.ToString());

        CommandResult ocsp = await _shell.WaitForOcspAsync(name, "revoked");
        string crl = await _shell.WaitForCrlAsync(await _shell.CrlUrlAsync(name), "signer-crl-revoked", text => LifecycleShell.RevokedEntry(text, serial) is not null, $"the host's CRL listing {serial}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ocsp.StandardOutput, Does.Contain("Reason: keyCompromise"), ocsp.ToString());
            Assert.That(LifecycleShell.RevokedEntry(crl, serial), Does.Contain("Key Compromise"), crl);
            Assert.That(File.Exists(_shell.PathOf(Path.Combine("data", "estserver.db"))), Is.False, "the CLI opened PostgreSQL, not a SQLite store of its own");
        }
    }

    private static void RequireInstalled(bool installed, bool required, string what, string package)
    {
        if (installed)
        {
            return;
        }

        if (required)
        {
            Assert.Fail($"{what} is not installed, and CI=true requires the signer revocation tests to run (apt-get install {package})");
        }

        Assert.Ignore($"{what} is not installed; the signer revocation tests need it (they fail instead of skipping when CI=true)");
    }

    private Dictionary<string, string> Environment(string dataDirectory) => new()
    {
        ["EST_DATA_DIR"] = dataDirectory,
        ["Est__Redis"] = _redis!.Configuration,
        ["Est__Database"] = _database,
        ["Est__Revocation__PublicBaseUrl"] = _httpUrl,
        ["Est__Queue__ResultPollInterval"] = "00:00:00.250",
        ["Est__Queue__IdlePollInterval"] = "00:00:00.250",
    };

    private static void CopyDirectory(string source, string target, IReadOnlyCollection<string> skip)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source).Where(file => !skip.Contains(Path.GetFileName(file))))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)), skip);
        }
    }
}
