using System.Globalization;

namespace EstServer.LoadTest;

/// <summary>Command-line options of the load generator.</summary>
public sealed record LoadOptions
{
    public required Uri Url { get; init; }

    public required string TrustAnchor { get; init; }

    /// <summary>A directory of device identities (NAME.pem + NAME.key), e.g. minted by scripts/dev-device.sh.</summary>
    public required string Devices { get; init; }

    public LoadMode Mode { get; init; } = LoadMode.Enroll;

    public bool KeepAlive { get; init; }

    public int Concurrency { get; init; } = 16;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int? Count { get; init; }

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public string? Label { get; init; }

    /// <summary>CSRs generated before the run; each enrollment uses a fresh one so no answer comes from the idempotency cache.</summary>
    public int CsrPool { get; init; } = 20_000;

    public int VerifySample { get; init; } = 20;

    public string Name { get; init; } = "";

    public const string Usage = """
        usage: estserver-loadtest --url https://host:port --trust-anchor PEM --devices DIR
                 [--mode enroll|reenroll|baseline] [--keep-alive] [--concurrency N]
                 [--duration SECONDS | --count N] [--warmup SECONDS] [--label LABEL]
                 [--csr-pool N] [--verify-sample N] [--name TEXT]
        baseline: GET /healthz over the same mutual-TLS connections (the handshake cost alone)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool keepAlive = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep-alive")
            {
                keepAlive = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }
        }

        string Required(string name) => values.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string name, TimeSpan fallback) =>
            values.TryGetValue(name, out string? value) ? TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) : fallback;

        return new LoadOptions
        {
            Url = new Uri(Required("url")),
            TrustAnchor = Required("trust-anchor"),
            Devices = Required("devices"),
            Mode = values.GetValueOrDefault("mode", "enroll") switch
            {
                "enroll" => LoadMode.Enroll,
                "reenroll" => LoadMode.Reenroll,
                "baseline" => LoadMode.Baseline,
                var other => throw new ArgumentException($"unknown mode '{other}'"),
            },
            KeepAlive = keepAlive,
            Concurrency = Int("concurrency", 16),
            Duration = Seconds("duration", TimeSpan.FromSeconds(10)),
            Count = values.ContainsKey("count") ? Int("count", 0) : null,
            Warmup = Seconds("warmup", TimeSpan.FromSeconds(2)),
            Label = values.GetValueOrDefault("label"),
            CsrPool = Int("csr-pool", 20_000),
            VerifySample = Int("verify-sample", 20),
            Name = values.GetValueOrDefault("name", ""),
        };
    }
}
