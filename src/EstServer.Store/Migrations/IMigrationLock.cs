using System.Data.Common;

namespace EstServer.Store.Migrations;

/// <summary>
/// How an engine keeps two processes from migrating at once: whoever holds the lock reads
/// <c>schema_migrations</c> and applies what is missing; the others wait and then find nothing to do.
/// </summary>
internal interface IMigrationLock
{
    /// <summary>Takes the lock (waiting for another migrator) and starts the transaction the scripts run in.</summary>
    DbTransaction Enter(DbConnection connection);

    /// <summary>Gives the lock back once the transaction is over (committed or rolled back).</summary>
    void Exit(DbConnection connection);
}
