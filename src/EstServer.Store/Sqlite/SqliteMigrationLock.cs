using System.Data.Common;
using EstServer.Store.Migrations;
using Microsoft.Data.Sqlite;

namespace EstServer.Store.Sqlite;

/// <summary>SQLite's migration lock is the write lock itself: BEGIN IMMEDIATE, which one connection at a time holds.</summary>
internal sealed class SqliteMigrationLock : IMigrationLock
{
    public DbTransaction Enter(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public void Exit(DbConnection connection)
    {
        // Committing or rolling back the transaction released it.
    }
}
