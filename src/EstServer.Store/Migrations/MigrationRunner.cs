using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace EstServer.Store.Migrations;

/// <summary>
/// Brings a database to the newest schema at start-up. Safe to run from several processes at once: the
/// engine's lock (<see cref="IMigrationLock"/>) is taken before <c>schema_migrations</c> is read, and the
/// missing scripts and their rows go in one transaction, so a migrator that dies leaves no half schema.
/// Running it on a current database changes nothing.
/// </summary>
/// <remarks>
/// Hand-rolled rather than DbUp: DbUp reads its journal before, and outside, anything that could lock
/// out a second migrator (DbUp/DbUp#358), so two hosts starting together both run V1.
/// </remarks>
internal static class MigrationRunner
{
    private const string CreateJournal =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <summary>Applies what is missing and returns the schema version the database is at.</summary>
    public static int Apply(DbConnection connection, IMigrationLock migrationLock, IReadOnlyList<Migration> migrations, DateTimeOffset now, ILogger logger)
    {
        DbTransaction transaction = migrationLock.Enter(connection);
        try
        {
            Execute(connection, transaction, CreateJournal);
            int current = CurrentVersion(connection, transaction);
            int newest = migrations[^1].Version;
            if (current > newest)
            {
                // A newer build migrated this database; an older one must not write rows it does not understand.
                throw new InvalidOperationException($"the database schema is at version {current}, newer than this build's {newest}");
            }

            foreach (Migration migration in migrations.Where(migration => migration.Version > current))
            {
                Execute(connection, transaction, migration.Sql);
                using DbCommand record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)";
                AddParameter(record, "version", (long)migration.Version);
                AddParameter(record, "name", migration.Name);
                AddParameter(record, "at", now.ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
                logger.LogInformation("Certificate store schema migrated to version {Version} ({Name})", migration.Version, migration.Name);
            }

            transaction.Commit();
            return Math.Max(current, newest);
        }
        finally
        {
            transaction.Dispose();
            migrationLock.Exit(connection);
        }
    }

    private static int CurrentVersion(DbConnection connection, DbTransaction transaction)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
