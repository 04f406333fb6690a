using System.Data.Common;
using System.Text;
using EstServer.Store.Postgres;
using EstServer.Store.Sqlite;

namespace EstServer.Store;

/// <summary>
/// Where the certificate store is and how it behaves, validated when made. The connection string picks
/// the engine: empty is SQLite at <c>&lt;data dir&gt;/estserver.db</c>; <c>Data Source=path</c> is SQLite
/// at that path (relative to the data directory); <c>Host=...</c> key/value pairs or a
/// <c>postgres://</c> / <c>postgresql://</c> URI is PostgreSQL. <see cref="ToString"/> never shows the connection string.
/// </summary>
public sealed record StoreSettings
{
    public const string DefaultFileName = "estserver.db";

    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] SqliteKeys = ["data source", "datasource", "filename"];

    private static readonly string[] PostgresKeys = ["host", "server"];

    private readonly TimeSpan _busyTimeout = DefaultBusyTimeout;

    /// <exception cref="ArgumentException">The data directory is empty, or the connection string names no engine or is malformed (the message leaves the string out).</exception>
    public StoreSettings(string dataDirectory, string? connectionString = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = dataDirectory;
        ConnectionString = connectionString?.Trim() ?? "";
        (Engine, SqlitePath) = Classify(ConnectionString, dataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>As given (trimmed); may hold a password, so it is left out of <see cref="ToString"/>.</summary>
    public string ConnectionString { get; }

    public StoreEngine Engine { get; }

    /// <summary>The database file when <see cref="Engine"/> is SQLite, else empty.</summary>
    public string SqlitePath { get; }

    /// <summary>
    /// SQLite's durability. Full by default: an fsync per commit (measured at about 1 ms here, small next
    /// to signing) buys surviving power loss for issued certificates and revocations; Normal survives a
    /// process crash only.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>How long a SQLite writer waits for another before the store reports itself unavailable.</summary>
    public TimeSpan BusyTimeout
    {
        get => _busyTimeout;
        init => _busyTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(BusyTimeout), "the busy timeout must be positive");
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Engine = ").Append(Engine).Append(", ");
        builder.Append(Engine == StoreEngine.Sqlite ? "Path = " + SqlitePath : "ConnectionString = (hidden)");
        return true;
    }

    private static (StoreEngine Engine, string SqlitePath) Classify(string connectionString, string dataDirectory)
    {
        if (connectionString.Length == 0)
        {
            return (StoreEngine.Sqlite, Path.GetFullPath(Path.Combine(dataDirectory, DefaultFileName)));
        }

        if (PostgresConnectionStrings.IsUri(connectionString))
        {
            return (StoreEngine.PostgreSql, "");
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("the store connection string is malformed: expected Key=Value pairs (Host=... for PostgreSQL, Data Source=... for SQLite) or a postgresql:// URI");
        }

        string[] keys = builder.Keys.Cast<string>().Select(key => key.ToLowerInvariant()).ToArray();
        if (keys.Any(PostgresKeys.Contains))
        {
            return (StoreEngine.PostgreSql, "");
        }

        if (keys.SingleOrDefault(SqliteKeys.Contains) is not { } sqliteKey)
        {
            throw new ArgumentException("the store connection string names neither Host= (PostgreSQL) nor Data Source= (SQLite)");
        }

        if (keys.Length > 1)
        {
            // The store sets SQLite's options itself (WAL, foreign keys, timeouts); only the file is configurable.
            throw new ArgumentException($"a SQLite store connection string takes only Data Source=, not {string.Join(", ", keys.Where(key => key != sqliteKey))}");
        }

        string path = Convert.ToString(builder[sqliteKey], System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (path.Length == 0 || path == ":memory:")
        {
            throw new ArgumentException("a SQLite store needs a file: Data Source=path");
        }

        return (StoreEngine.Sqlite, Path.GetFullPath(Path.Combine(dataDirectory, path)));
    }
}
