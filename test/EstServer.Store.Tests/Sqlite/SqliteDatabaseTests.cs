using EstServer.Store.Sql;
using EstServer.Store.Sqlite;
using EstServer.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Store.Tests.Sqlite;

public sealed class SqliteDatabaseTests
{
    [TestCase(SqliteSynchronous.Normal, 1L)]
    [TestCase(SqliteSynchronous.Full, 2L)]
    public void Open_Synchronous_AppliedToEveryConnection(SqliteSynchronous synchronous, long pragma)
    {
        using var directory = new TempDirectory("store");
        using SqlCertificateStore store = CertificateStores.Open(new StoreSettings(directory.Path) { SqliteSynchronous = synchronous }, TimeProvider.System, NullLoggerFactory.Instance);

        long[] seen = Enumerable.Range(0, 3).Select(_ => store.Database.Read(connection => (long)SqlCommands.Scalar(connection, null, "PRAGMA synchronous")!)).ToArray();

        Assert.That(seen, Is.All.EqualTo(pragma));
        SqliteConnection.ClearAllPools();
    }

    [Test]
    public void Open_Connection_ForeignKeysAndBusyTimeoutSet()
    {
        using var directory = new TempDirectory("store");
        using SqlCertificateStore store = CertificateStores.Open(new StoreSettings(directory.Path) { BusyTimeout = TimeSpan.FromMilliseconds(750) }, TimeProvider.System, NullLoggerFactory.Instance);

        (long foreignKeys, long busy) = store.Database.Read(connection =>
            ((long)SqlCommands.Scalar(connection, null, "PRAGMA foreign_keys")!, (long)SqlCommands.Scalar(connection, null, "PRAGMA busy_timeout")!));

        Assert.That((foreignKeys, busy), Is.EqualTo((1L, 750L)));
        SqliteConnection.ClearAllPools();
    }
}
