using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;
using StackExchange.Redis;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// A scaled-out deployment on one machine: a real redis-server, one EST host started from a copy of the
/// development PKI without the CA keys (it could not sign if it tried), and signer workers that share
/// the full PKI. All are the built binary, run as their own processes with short leases and budgets.
/// </summary>
public sealed partial class ScaleOutCluster : IAsyncDisposable
{
    public const string ProfileName = "scaleout";
    public const string KeyPrefix = "scaleout";

    /// <summary>
    /// Est:Signing:Concurrency of every worker: one signing loop, so that a worker holding a request's lock
    /// is a worker whose only loop is on that job, on any number of cores (scaled out by processes instead).
    /// </summary>
    public const int SigningLoopsPerWorker = 1;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ServerProcess> _workers = [];
    private ConnectionMultiplexer? _redisClient;
    private EstTestServer? _host;
    private readonly List<EstTestServer> _crashedHosts = [];

    private ScaleOutCluster(RedisServer redis, PostgresServer postgres, string root)
    {
        Redis = redis;
        Postgres = postgres;
        DatabaseConnectionString = postgres.CreateDatabase();
        Root = root;
        ConfigDirectory = Path.Combine(root, "config");
        WorkerDataDirectory = Path.Combine(root, "worker-data");
        HostDataDirectory = Path.Combine(root, "host-data");
    }

    public RedisServer Redis { get; }

    /// <summary>The certificate store every host and worker shares (PostgreSQL, as a scaled-out deployment runs).</summary>
    public PostgresServer Postgres { get; }

    public string DatabaseConnectionString { get; }

    public string Root { get; }

    public string ConfigDirectory { get; }

    /// <summary>The signers' data directory: the full development PKI, CA keys included, and the queue secret.</summary>
    public string WorkerDataDirectory { get; }

    /// <summary>The host's data directory: the same PKI without issuing-ca.key and root-ca.key, and the same queue secret.</summary>
    public string HostDataDirectory { get; }

    public ServerProcess Host => _host?.Process ?? throw new InvalidOperationException("not started");

    /// <summary>The host's HTTPS address, e.g. https://127.0.0.1:41234.</summary>
    public Uri BaseAddress => Started.BaseAddress;

    public X509Certificate2 TrustAnchor => Started.TrustAnchor;

    public X509Certificate2 IssuingCa => Started.IssuingCa;

    /// <summary>The dev PKI's demo manufacturer CA, with its key: it mints device identities (IDevIDs).</summary>
    public X509Certificate2 ManufacturerCa { get; private set; } = null!;

    /// <summary>Workers started and not killed.</summary>
    public IReadOnlyList<ServerProcess> LiveWorkers => _workers.Where(w => !w.HasExited).ToList();

    /// <summary>Every worker ever started here, killed ones included (their output stays readable).</summary>
    public IReadOnlyList<ServerProcess> AllWorkers => _workers.ToList();

    private EstTestServer Started => _host ?? throw new InvalidOperationException("not started");

    public IDatabase RedisDatabase => RedisClient.GetDatabase();

    private ConnectionMultiplexer RedisClient => _redisClient ??= ConnectionMultiplexer.Connect(new ConfigurationOptions
    {
        EndPoints = { Redis.Configuration },
        AbortOnConnectFail = false,
    });

    public string StreamKey => "{" + KeyPrefix + "}:jobs";

    public string ResultKey(string requestId) => "{" + KeyPrefix + "}:result:" + requestId;

    /// <summary>The workers holding a request's lock right now (between "no result yet, mine" and storing the result).</summary>
    public async Task<string[]> LockHoldersAsync()
    {
        IServer server = RedisClient.GetServer(Redis.Configuration);
        RedisKey[] locks = await server.KeysAsync(pattern: "{" + KeyPrefix + "}:lock:*").ToArrayAsync();
        RedisValue[] holders = locks.Length == 0 ? [] : await RedisDatabase.StringGetAsync(locks);
        return holders.Where(h => h.HasValue).Select(h => h.ToString()).ToArray();
    }

    /// <summary>Jobs queued and not yet delivered to any worker.</summary>
    public async Task<long> UndeliveredJobsAsync()
    {
        long length = await RedisDatabase.StreamLengthAsync(StreamKey);
        StreamPendingInfo pending = await RedisDatabase.StreamPendingAsync(StreamKey, "signers");
        return length - pending.PendingMessageCount;
    }

    public ServerProcess WorkerNamed(string consumerName) => AllWorkers.Single(w => ConsumerName(w) == consumerName);

    public static async Task<ScaleOutCluster> StartAsync(RedisServer redis, PostgresServer postgres)
    {
        string root = Path.Combine(Path.GetTempPath(), "estserver-scaleout-" + Guid.NewGuid().ToString("N")[..12]);
        var cluster = new ScaleOutCluster(redis, postgres, root);
        try
        {
            await cluster.StartProcessesAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts another signer worker and waits until it reads the job stream.</summary>
    public async Task<ServerProcess> StartWorkerAsync()
    {
        ServerProcess worker = ServerProcess.Start($"worker-{_workers.Count + 1}", WorkerDataDirectory, ConfigDirectory, Environment(WorkerDataDirectory), ["signer"]);
        _workers.Add(worker);
        await worker.WaitForLineAsync(line => line.Contains("reading the job stream", StringComparison.Ordinal), StartTimeout);
        return worker;
    }

    /// <summary>Starts workers until <paramref name="count"/> are alive (after a test killed one).</summary>
    public async Task EnsureLiveWorkersAsync(int count)
    {
        while (LiveWorkers.Count < count)
        {
            await StartWorkerAsync();
        }
    }

    /// <summary>The consumer name a worker printed when it started (host-pid-random).</summary>
    public static string ConsumerName(ServerProcess worker)
    {
        string line = worker.OutputLines.First(l => l.Contains("reading the job stream", StringComparison.Ordinal));
        return StartedLine().Match(line) is { Success: true } match ? match.Groups["name"].Value : throw new FormatException($"no worker name in: {line}");
    }

    /// <summary>A new device identity (IDevID) from the demo manufacturer CA, which the profile trusts.</summary>
    public X509Certificate2 MintDevice(string commonName) =>
        TestCertificates.CreateClient(ManufacturerCa, $"CN={commonName}, O=Scale-out E2E", notBefore: new DateTimeOffset(ManufacturerCa.NotBefore.ToUniversalTime()));

    public HttpClient CreateClient(X509Certificate2 device) => TestHttpClients.Create(BaseAddress, TrustAnchor, device);

    /// <summary>Every worker's "Issued certificate" audit line, with the request id and serial it names.</summary>
    public IReadOnlyList<IssuedLine> IssuedLines() =>
        AllWorkers.SelectMany(worker => worker.OutputLines
                .Select(line => IssuedPattern().Match(line))
                .Where(match => match.Success)
                .Select(match => new IssuedLine(worker.Name, match.Groups["request"].Value, NormalizeSerial(match.Groups["serial"].Value))))
            .ToList();

    public static string NormalizeSerial(string hex) => hex.ToLowerInvariant().TrimStart('0');

    public string Describe() =>
        string.Join('\n', (_host?.Process is { } host ? [host, .. _workers] : _workers).Select(p => p.Describe()));

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        foreach (ServerProcess worker in _workers)
        {
            await worker.DisposeAsync();
        }

        foreach (EstTestServer crashed in _crashedHosts)
        {
            await crashed.DisposeAsync();
        }

        _redisClient?.Dispose();
        ManufacturerCa?.Dispose();
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (IOException exception)
        {
            await TestContext.Progress.WriteLineAsync($"could not delete {Root}: {exception.Message}");
        }
    }

    private async Task StartProcessesAsync()
    {
        Directory.CreateDirectory(WorkerDataDirectory);
        Directory.CreateDirectory(HostDataDirectory);
        TestProfile.WriteDirectory(Path.Combine(ConfigDirectory, "profiles"), new TestProfile { Name = ProfileName, Default = true });
        // Single-line console logs, so one audit line is one output line; no per-request framework chatter.
        await File.WriteAllTextAsync(Path.Combine(ConfigDirectory, "estserver.json"), """
            {
              "Logging": {
                "LogLevel": { "Default": "Information", "Microsoft": "Warning", "Microsoft.Hosting.Lifetime": "Information" },
                "Console": { "FormatterName": "simple", "FormatterOptions": { "SingleLine": true } }
              }
            }
            """);

        // The first worker creates the development PKI and the queue secret in the workers' data directory.
        await StartWorkerAsync();

        // The host gets a copy without the CA keys, and the same queue secret.
        string source = Path.Combine(WorkerDataDirectory, "dev-pki");
        string target = Path.Combine(HostDataDirectory, "dev-pki");
        CopyDirectory(source, target, skip: ["issuing-ca.key", "root-ca.key"]);
        File.Copy(Path.Combine(WorkerDataDirectory, "queue-secret"), Path.Combine(HostDataDirectory, "queue-secret"));
        ManufacturerCa = X509Certificate2.CreateFromPemFile(Path.Combine(source, "manufacturer-ca.pem"), Path.Combine(source, "manufacturer-ca.key"));

        Task<EstTestServer> host = StartHostAsync(port: 0);
        Task<ServerProcess> second = StartWorkerAsync();
        _host = await host;
        await second;
    }

    private Dictionary<string, string> Environment(string dataDirectory) => new()
    {
        ["EST_DATA_DIR"] = dataDirectory,
        ["EST_CONFIG_DIR"] = ConfigDirectory,
        ["Est__Redis"] = Redis.Configuration,
        ["Est__Database"] = DatabaseConnectionString,
        ["Est__Queue__KeyPrefix"] = KeyPrefix,
        ["Est__Queue__LeaseTimeout"] = "00:00:03",
        ["Est__Queue__HeartbeatInterval"] = "00:00:01",
        ["Est__Queue__OperationTimeout"] = "00:00:01",
        ["Est__Queue__BreakDuration"] = "00:00:01",
        ["Est__Queue__ResultPollInterval"] = "00:00:00.250",
        ["Est__Queue__IdlePollInterval"] = "00:00:00.250",
        ["Est__EnrollmentWaitBudget"] = "00:00:02",
        ["Est__RetryAfter"] = "00:00:01",
        ["Est__Signing__Concurrency"] = SigningLoopsPerWorker.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void CopyDirectory(string source, string target, IReadOnlyCollection<string> skip)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            if (!skip.Contains(Path.GetFileName(file)))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        foreach (string directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)), skip);
        }
    }

    [GeneratedRegex(@"Issued certificate serial=(?<serial>[0-9a-fA-F]+) .* request=(?<request>[0-9a-f]+)")]
    private static partial Regex IssuedPattern();

    [GeneratedRegex(@"Signer (?<name>\S+) reading the job stream")]
    private static partial Regex StartedLine();
}

/// <summary>One "Issued certificate" audit line of a worker.</summary>
public sealed record IssuedLine(string Worker, string RequestId, string Serial);
