using System.Globalization;

namespace EstServer.LoadGen;

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

    /// <summary>
    /// Open loop: start requests at this many per second whatever the answers' pace (0: closed loop,
    /// each device sends its next request when the last is answered). Latency is then measured from
    /// each request's scheduled start, so queueing inside the server counts (no coordinated omission).
    /// </summary>
    public double Rate { get; init; }

    /// <summary>Hostile mode: the generator's seed (the same seed, the same cases).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Hostile mode: no answer within this and the connection still open is a hang.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Hostile mode: the seed corpus directory (default: test/corpus/hostile of the repository).</summary>
    public string? Corpus { get; init; }

    /// <summary>Hostile mode: the device-identity CA (PEM certificate and key) to mint an expired identity under.</summary>
    public string? ManufacturerCa { get; init; }

    public string? ManufacturerKey { get; init; }

    /// <summary>Hostile mode: also write the report to this file.</summary>
    public string? Report { get; init; }

    public int SlowConcurrency { get; init; } = 32;

    /// <summary>Hostile mode: the server's Est:MaxRequestBodyBytes.</summary>
    public long MaxBody { get; init; } = 65536;

    public const string Usage = """
        usage: estserver-loadtest --url https://host:port --trust-anchor PEM --devices DIR
                 [--mode enroll|reenroll|baseline|hostile] [--keep-alive] [--concurrency N]
                 [--duration SECONDS | --count N] [--warmup SECONDS] [--label LABEL]
                 [--csr-pool N] [--verify-sample N] [--name TEXT] [--rate PER_SECOND]
               hostile mode: [--seed S] [--case-timeout SECONDS] [--corpus DIR] [--report FILE]
                 [--manufacturer-ca PEM --manufacturer-key PEM] [--slow-concurrency N] [--max-body BYTES]
               estserver-loadtest --write-corpus DIR    (writes the hostile seed corpus)
        baseline: GET /healthz over the same mutual-TLS connections (the handshake cost alone)
        hostile: the bad-input campaign; the first identity in --devices is the hostile client, the
                 second the legitimate device enrolling meanwhile; exit 1 on any 5xx, hang, unexpected
                 outcome or legitimate failure
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
                "hostile" => LoadMode.Hostile,
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
            Rate = values.TryGetValue("rate", out string? rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 0,
            Seed = values.TryGetValue("seed", out string? seed) ? long.Parse(seed, CultureInfo.InvariantCulture) : 1,
            CaseTimeout = Seconds("case-timeout", TimeSpan.FromSeconds(15)),
            Corpus = values.GetValueOrDefault("corpus"),
            ManufacturerCa = values.GetValueOrDefault("manufacturer-ca"),
            ManufacturerKey = values.GetValueOrDefault("manufacturer-key"),
            Report = values.GetValueOrDefault("report"),
            SlowConcurrency = Int("slow-concurrency", 32),
            MaxBody = values.TryGetValue("max-body", out string? maxBody) ? long.Parse(maxBody, CultureInfo.InvariantCulture) : 65536,
        };
    }
}
