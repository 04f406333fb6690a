using System.Data;
using System.Data.Common;
using EstServer.Store.Migrations;
using Npgsql;

namespace EstServer.Store.Postgres;

/// <summary>
/// A transaction-scoped advisory lock (pg_advisory_xact_lock): a second process starting at the same
/// time waits for the first's migration to commit, then reads schema_migrations and finds it done. Tied
/// to the transaction, it is released however the transaction ends, even if the process dies.
/// </summary>
internal sealed class PostgresMigrationLock : IMigrationLock
{
    /// <summary>The advisory lock's key: "ES" and 0, apart from the keys of <see cref="PostgresDatabase"/>.</summary>
    public const int Key = 0x4553_0000;

    public DbTransaction Enter(DbConnection connection)
    {
        NpgsqlTransaction transaction = ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);
        using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key, 0)", (NpgsqlConnection)connection, transaction);
        command.Parameters.AddWithValue("key", Key);
        command.ExecuteNonQuery();
        return transaction;
    }

    public void Exit(DbConnection connection)
    {
        // The lock ended with the transaction.
    }
}
