using EstServer.Store.Postgres;
using EstServer.Store.Sql;
using EstServer.Store.Sqlite;
using Microsoft.Extensions.Logging;

namespace EstServer.Store;

/// <summary>The one way to a certificate store: picks the engine from the settings, migrates the schema, logs what it opened.</summary>
public static class CertificateStores
{
    /// <summary>
    /// Opens the store <paramref name="settings"/> names and brings its schema up to date (safe when
    /// several processes start at once). The caller disposes it to release the connection pool.
    /// </summary>
    /// <exception cref="EstServer.Core.Lifecycle.StoreUnavailableException">The database cannot be reached or is locked past the busy timeout.</exception>
    public static SqlCertificateStore Open(StoreSettings settings, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ILogger logger = loggers.CreateLogger(typeof(CertificateStores).FullName!);
        StoreDatabase database = settings.Engine == StoreEngine.Sqlite
            ? new SqliteDatabase(new SqliteOptions(settings.SqlitePath, settings.SqliteSynchronous, settings.BusyTimeout))
            : new PostgresDatabase(PostgresConnectionStrings.Parse(settings.ConnectionString), loggers);
        try
        {
            int version = database.Migrate(time.GetUtcNow(), logger);
            logger.LogInformation("Certificate store: {Engine} at {Target}, schema version {Version}", database.Engine, database.Target, version);
            return new SqlCertificateStore(database, version, time);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }
}
