using System.Globalization;

namespace EstServer.LoadGen.Ocsp;

/// <summary>Options of <c>estserver-loadtest ocsp</c>: OCSP POSTs over plain-HTTP keep-alive connections, each for a serial from a file.</summary>
public sealed record OcspLoadOptions
{
    public required Uri Url { get; init; }

    /// <summary>PEM of the issuing CA the serials belong to (the requests' CertID names it).</summary>
    public required string Issuer { get; init; }

    /// <summary>One serial per line, hex (as <c>estserver certs list</c> or the store seeder write them).</summary>
    public required string Serials { get; init; }

    public int Concurrency { get; init; } = 8;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests built before the run (each with its own nonce), sent round-robin.</summary>
    public int Pool { get; init; } = 20_000;

    public string Name { get; init; } = "ocsp";

    public const string Usage = """
        usage: estserver-loadtest ocsp --url http://host:port/ocsp --issuer CA.pem --serials FILE
                 [--concurrency N] [--duration SECONDS] [--warmup SECONDS] [--pool N] [--name TEXT]
        """;

    public static OcspLoadOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        TimeSpan Seconds(string name, TimeSpan fallback) =>
            values.TryGetValue(name, out string? value) ? TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) : fallback;
        return new OcspLoadOptions
        {
            Url = new Uri(Required("url")),
            Issuer = Required("issuer"),
            Serials = Required("serials"),
            Concurrency = Int("concurrency", 8),
            Duration = Seconds("duration", TimeSpan.FromSeconds(10)),
            Warmup = Seconds("warmup", TimeSpan.FromSeconds(2)),
            Pool = Int("pool", 20_000),
            Name = values.GetValueOrDefault("name", "ocsp"),
        };
    }
}
