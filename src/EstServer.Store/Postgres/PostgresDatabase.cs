using System.Data;
using System.Data.Common;
using EstServer.Store.Migrations;
using EstServer.Store.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EstServer.Store.Postgres;

/// <summary>
/// The scale-out engine: several hosts and signers on one PostgreSQL database, through one pooled
/// NpgsqlDataSource. Transactions are READ COMMITTED; where SQLite's single writer serialises for free,
/// transaction-scoped advisory locks (<see cref="StoreLock"/>) and row locks (FOR UPDATE, ON CONFLICT)
/// do it, so the store behaves the same on both engines.
/// </summary>
internal sealed class PostgresDatabase : StoreDatabase
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(NpgsqlConnectionStringBuilder connectionString, ILoggerFactory loggers)
    {
        Target = PostgresConnectionStrings.Describe(connectionString);
        _dataSource = new NpgsqlDataSourceBuilder(connectionString.ConnectionString).UseLoggerFactory(loggers).Build();
    }

    public override string Engine => "postgresql";

    public override string Target { get; }

    public override string ForUpdate => " FOR UPDATE";

    public override string LikeIgnoringCase => "ILIKE";

    /// <summary>pg_advisory_xact_lock(class, hashtext(key)): the class keeps devices, requests and issuers apart; a hash collision only serialises two transactions needlessly.</summary>
    public override void Lock(DbConnection connection, DbTransaction transaction, StoreLock kind, string key) =>
        SqlCommands.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@class, hashtext(@key))", ("class", PostgresMigrationLock.Key + (int)kind), ("key", key));

    /// <summary>An opened connection for migrations and the bulk seeder, which run it under <see cref="StoreDatabase.Guard"/>.</summary>
    public NpgsqlConnection OpenRaw() => _dataSource.OpenConnection();

    public override int Migrate(DateTimeOffset now, ILogger logger) => Guard(() =>
    {
        using NpgsqlConnection connection = OpenRaw();
        return MigrationRunner.Apply(connection, new PostgresMigrationLock(), MigrationScripts.For(Engine), now, logger);
    });

    public override void Dispose() => _dataSource.Dispose();

    protected override DbConnection OpenConnection() => _dataSource.OpenConnection();

    protected override DbTransaction BeginWrite(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);

    /// <summary>
    /// Npgsql's transient failures (network, server shutting down or starting, too many connections,
    /// serialization and deadlock aborts) and statement timeouts. Once the server is back, the pool's
    /// idle connections to the old one are dead; they are dropped at the first failure.
    /// </summary>
    protected override bool IsUnavailable(Exception exception)
    {
        bool unavailable = exception is NpgsqlException { IsTransient: true } or PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } or TimeoutException;
        if (unavailable)
        {
            _dataSource.Clear();
        }

        return unavailable;
    }
}
