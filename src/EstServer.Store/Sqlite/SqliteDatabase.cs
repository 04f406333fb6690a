using System.Data.Common;
using System.Globalization;
using EstServer.Store.Migrations;
using EstServer.Store.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EstServer.Store.Sqlite;

/// <summary>
/// The embedded engine: one file, WAL journal (readers never wait for the writer), foreign keys on,
/// one writer at a time. Connections come from Microsoft.Data.Sqlite's pool; each is given the busy
/// timeout and synchronous level when opened, since SQLite keeps those per connection. Several processes
/// (host and signers on one machine) may open the same file: SQLite's file locks arbitrate between them.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    // SQLite result codes (sqlite.org/rescode.html) that mean the file cannot be used now, not a bug.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Protocol = 15;

    private readonly SqliteOptions _options;
    private readonly string _connectionString;
    private readonly string _pragmas;

    // Writers of this process queue here and commit in groups, instead of polling in SQLite's busy
    // handler (which sleeps up to 100 ms between tries) one fsync each; other processes still meet busy_timeout.
    private readonly SqliteGroupCommit _group;

    private static readonly object Configured = new();

    // Native connections whose pragmas are set; weak, so a connection the pool closes is forgotten.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public SqliteDatabase(SqliteOptions options)
    {
        _options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy statement until this many seconds passed; the native
            // busy_timeout below does the waiting, this only keeps the retry from outlasting it much.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {options.Synchronous.ToString().ToUpperInvariant()};");
        _group = new SqliteGroupCommit(OpenConnection, BeginWrite, IsUnavailable);
    }

    public override string Engine => "sqlite";

    public override string Target => _options.Path;

    public override string ForUpdate => "";

    public override string LikeIgnoringCase => "LIKE";

    public SqliteSynchronous Synchronous => _options.Synchronous;

    public override T Write<T>(Func<DbConnection, DbTransaction, T> work) => Guard(() =>
    {
        try
        {
            // The group's own BEGIN IMMEDIATE waits up to the busy timeout for another process's writer.
            return _group.Write(work, _options.BusyTimeout * 2);
        }
        catch (TimeoutException exception)
        {
            throw Unavailable($"no write committed within {(_options.BusyTimeout * 2).TotalMilliseconds:0} ms", exception);
        }
    });

    /// <summary>SQLite has one writer at a time (BEGIN IMMEDIATE), which already serialises everything these keys would.</summary>
    public override void Lock(DbConnection connection, DbTransaction transaction, StoreLock kind, string key)
    {
    }

    /// <summary>An opened, configured connection for migrations and the bulk seeder, which run it under <see cref="StoreDatabase.Guard"/>.</summary>
    public SqliteConnection OpenRaw() => (SqliteConnection)OpenConnection();

    /// <summary>Creates the file's directory, switches the file to WAL (kept in the file) and applies the migrations.</summary>
    public override int Migrate(DateTimeOffset now, ILogger logger)
    {
        string? directory = System.IO.Path.GetDirectoryName(_options.Path);
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"cannot create its directory: {exception.Message}", exception);
        }

        return Guard(() =>
        {
            using SqliteConnection connection = OpenRaw();
            string journal = (string)SqlCommands.Scalar(connection, null, "PRAGMA journal_mode = WAL")!;
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                // E.g. a file system without shared memory: still correct, but readers wait for writers.
                logger.LogWarning("SQLite at {Path} stays in journal mode {Journal}: WAL could not be enabled", _options.Path, journal);
            }

            return MigrationRunner.Apply(connection, new SqliteMigrationLock(), MigrationScripts.For(Engine), now, logger);
        });
    }

    public override void Dispose()
    {
        _group.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // Pragmas belong to the native connection, which the pool keeps open between uses: set them
            // once per native connection, not on every open (each statement costs as much as a lookup).
            if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
            {
                SqlCommands.Execute(connection, null, _pragmas);
                _configured.AddOrUpdate(handle, Configured);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>BEGIN IMMEDIATE: takes the write lock now, so a transaction that read never fails to upgrade later.</summary>
    protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    protected override bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: Busy or Locked or IoError or Full or CantOpen or Protocol };
}
