using System.Globalization;
using EstServer.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.LoadGen.Store;

/// <summary>
/// <c>estserver-loadtest seed-store --data-dir DIR --count N</c>: fills the SQLite store a server will
/// open from DIR (or --database CONNECTION) with N synthetic certificates in bulk, so a benchmark can
/// measure enrollment and queries against a store that already holds a fleet's history.
/// </summary>
public static class SeedStoreCommand
{
    public const string Usage = "usage: estserver-loadtest seed-store --data-dir DIR [--database CONNECTION] --count N";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? dataDir = null;
        string? database = null;
        int count = -1;
        for (int i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--data-dir":
                    dataDir = args[i + 1];
                    break;
                case "--database":
                    database = args[i + 1];
                    break;
                case "--count" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int parsed):
                    count = parsed;
                    break;
                default:
                    error.WriteLine($"estserver-loadtest: unexpected argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return 2;
            }
        }

        if (dataDir is null || count < 0 || args.Count % 2 != 0)
        {
            error.WriteLine(Usage);
            return 2;
        }

        Directory.CreateDirectory(dataDir);
        using SqlCertificateStore store = CertificateStores.Open(new StoreSettings(dataDir, database), TimeProvider.System, NullLoggerFactory.Instance);
        SeedResult seeded = CertificateStoreSeeder.Seed(store, new SeedPlan { Count = count, Now = DateTimeOffset.UtcNow });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {seeded.Rows} certificates into {store.Engine} in {seeded.Elapsed.TotalSeconds:F1} s ({seeded.Rows / Math.Max(seeded.Elapsed.TotalSeconds, 0.001):F0} rows/s)"));
        return 0;
    }
}
