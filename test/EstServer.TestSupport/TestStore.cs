using EstServer.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.TestSupport;

/// <summary>
/// A real certificate store for tests: SQLite in a temporary directory, deleted on dispose. In-process
/// pipelines that do not care about the store share <see cref="Shared"/>, which lives as long as the
/// test process (request ids derive from distinct CSRs, so tests do not see each other's records).
/// </summary>
public sealed class TestStore : IDisposable
{
    private static readonly Lazy<TestStore> SharedStore = new(() =>
    {
        var store = Sqlite();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => store.Dispose();
        return store;
    });

    private readonly TempDirectory _directory;

    private TestStore(TempDirectory directory, SqlCertificateStore store)
    {
        _directory = directory;
        Store = store;
    }

    public SqlCertificateStore Store { get; }

    public string DataDirectory => _directory.Path;

    public static TestStore Shared => SharedStore.Value;

    /// <summary>A fresh, empty SQLite store (synchronous=NORMAL: tests need no power-loss durability).</summary>
    public static TestStore Sqlite(TimeProvider? time = null)
    {
        var directory = new TempDirectory("store");
        var settings = new StoreSettings(directory.Path) { SqliteSynchronous = EstServer.Store.Sqlite.SqliteSynchronous.Normal };
        return new TestStore(directory, CertificateStores.Open(settings, time ?? TimeProvider.System, NullLoggerFactory.Instance));
    }

    /// <summary>A fresh store on a PostgreSQL database (e.g. one from <see cref="PostgresServer.CreateDatabase"/>).</summary>
    public static TestStore Postgres(string connectionString, TimeProvider? time = null)
    {
        var directory = new TempDirectory("store");
        return new TestStore(directory, CertificateStores.Open(new StoreSettings(directory.Path, connectionString), time ?? TimeProvider.System, NullLoggerFactory.Instance));
    }

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
