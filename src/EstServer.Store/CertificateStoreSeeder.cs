using System.Diagnostics;
using System.Globalization;
using EstServer.Core.Lifecycle;
using EstServer.Store.Postgres;
using EstServer.Store.Sqlite;

namespace EstServer.Store;

/// <summary>
/// Fills a store with synthetic certificates for benchmarks: batched prepared inserts in large
/// transactions on SQLite, binary COPY on PostgreSQL, each row with its key claim and request. It
/// bypasses every check Record makes, so nothing but benchmarks and tests may call it.
/// </summary>
public static class CertificateStoreSeeder
{
    public static SeedResult Seed(SqlCertificateStore store, SeedPlan plan)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plan.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plan.BatchSize);
        var clock = Stopwatch.StartNew();
        // A run number keeps a second seeding of the same store from colliding with the first.
        uint run = (uint)Random.Shared.Next();
        foreach (CertificateRecord[] batch in Rows(plan, run).Chunk(plan.BatchSize))
        {
            switch (store.Database)
            {
                case SqliteDatabase sqlite:
                    SqliteBulkWriter.Write(sqlite, batch);
                    break;
                case PostgresDatabase postgres:
                    PostgresBulkWriter.Write(postgres, batch);
                    break;
                default:
                    throw new NotSupportedException($"no bulk writer for {store.Engine}");
            }
        }

        return new SeedResult(plan.Count, clock.Elapsed);
    }

    private static IEnumerable<CertificateRecord> Rows(SeedPlan plan, uint run)
    {
        const long MinutesPerYear = 365L * 24 * 60;
        for (int i = 0; i < plan.Count; i++)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"{run:x8}-{i:x8}");
            // A multiplier prime to the minutes of a year scatters issue times (and so notAfter) over it.
            DateTimeOffset issuedAt = plan.Now.AddMinutes(-(i * 7919L % MinutesPerYear));
            yield return new CertificateRecord
            {
                Serial = string.Create(CultureInfo.InvariantCulture, $"5eed{run:x8}{i:x8}"),
                IssuerKeyId = plan.IssuerKeyId,
                Issuer = "CN=Seed CA",
                Subject = $"CN=seed-{id},O=Seed",
                SubjectAltNames = $"DNS:seed-{id}.example",
                SpkiSha256 = string.Create(CultureInfo.InvariantCulture, $"{run:x8}{i:x8}").PadRight(64, 'a'),
                RequesterSubject = "CN=seed-factory",
                RequesterThumbprint = new string('5', 64),
                DeviceIdentity = "seed-" + id,
                Profile = plan.Profile,
                ProfileVersion = "seed",
                Kind = IssuanceKinds.Enroll,
                NotBefore = issuedAt.AddMinutes(-5),
                NotAfter = issuedAt.AddDays(365),
                IssuedAt = issuedAt,
                RequestId = "seed-" + id,
                Der = plan.Der,
            };
        }
    }
}
