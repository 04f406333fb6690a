using EstServer.Core.Lifecycle;
using EstServer.TestSupport;
using Microsoft.Data.Sqlite;

namespace EstServer.Store.Tests.Contract;

/// <summary>The contract on SQLite: a fresh file per test under a temp data directory.</summary>
[TestFixture]
public sealed class SqliteCertificateStoreContractTests : CertificateStoreContractTests
{
    private readonly List<TempDirectory> _directories = [];

    protected override string ExpectedEngine => "sqlite";

    protected override StoreSettings CreateSettings()
    {
        var directory = new TempDirectory("store");
        _directories.Add(directory);
        // Short enough that the unavailable test is quick, long enough for the race tests' waits.
        return new StoreSettings(directory.Path) { BusyTimeout = TimeSpan.FromSeconds(2) };
    }

    /// <summary>Another process holding the write lock past the busy timeout.</summary>
    protected override IDisposable MakeUnavailable()
    {
        var holder = new SqliteConnection($"Data Source={Settings.SqlitePath};Pooling=False");
        holder.Open();
        using (SqliteCommand begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        return holder;
    }

    protected override void DeleteDatabases()
    {
        SqliteConnection.ClearAllPools();
        foreach (TempDirectory directory in _directories)
        {
            directory.Dispose();
        }

        _directories.Clear();
    }

    [Test]
    public void Open_EmptyConnectionString_FileInTheDataDirectoryInWalMode()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Settings.SqlitePath, Is.EqualTo(Path.Combine(_directories[0].Path, StoreSettings.DefaultFileName)));
            Assert.That(File.Exists(Settings.SqlitePath), Is.True);
            Assert.That(Store.Database.Read(connection => Sql.SqlCommands.Scalar(connection, null, "PRAGMA journal_mode")), Is.EqualTo("wal"));
        }
    }

    [Test]
    public void Open_DirectoryCannotBeCreated_StoreUnavailable()
    {
        string file = _directories[0].Write("not-a-directory", "x");

        Assert.Throws<StoreUnavailableException>(() => Open(new StoreSettings(Path.Combine(file, "data"))));
    }
}
