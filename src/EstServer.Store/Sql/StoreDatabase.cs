using System.Data.Common;
using EstServer.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace EstServer.Store.Sql;

/// <summary>
/// One engine's database as the shared store logic sees it: connections, write transactions, the locks
/// PostgreSQL needs where SQLite has a single writer, the few spellings that differ, and which failures
/// mean "unavailable" (<see cref="StoreUnavailableException"/>) rather than a bug.
/// </summary>
internal abstract class StoreDatabase : IDisposable
{
    /// <summary>"sqlite" or "postgresql", for logs and messages.</summary>
    public abstract string Engine { get; }

    /// <summary>Where the data is (file path, or host:port/database), never with a password.</summary>
    public abstract string Target { get; }

    /// <summary>Appended to a SELECT whose rows the transaction is about to change (PostgreSQL: FOR UPDATE).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Case-insensitive LIKE (SQLite's LIKE folds ASCII; PostgreSQL has ILIKE).</summary>
    public abstract string LikeIgnoringCase { get; }

    /// <summary>Runs a read on a pooled connection.</summary>
    public T Read<T>(Func<DbConnection, T> work) => Guard(() =>
    {
        using DbConnection connection = OpenConnection();
        return work(connection);
    });

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it; an exception rolls it back.
    /// Refusals that wrote nothing commit an empty transaction, which is the same as rolling back.
    /// </summary>
    public virtual T Write<T>(Func<DbConnection, DbTransaction, T> work) => Guard(() =>
    {
        using DbConnection connection = OpenConnection();
        using DbTransaction transaction = BeginWrite(connection);
        T result = work(connection, transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>Serialises the transaction on <paramref name="key"/> until it ends (see <see cref="StoreLock"/>).</summary>
    public abstract void Lock(DbConnection connection, DbTransaction transaction, StoreLock kind, string key);

    /// <summary>Brings the schema to the newest version (see MigrationRunner) and returns that version.</summary>
    public abstract int Migrate(DateTimeOffset now, ILogger logger);

    public abstract void Dispose();

    /// <summary>An opened connection, configured for the store.</summary>
    protected abstract DbConnection OpenConnection();

    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Whether the failure means the database cannot be used now (down, unreachable, locked past its timeout).</summary>
    protected abstract bool IsUnavailable(Exception exception);

    protected StoreUnavailableException Unavailable(string why, Exception? inner = null) =>
        new($"the {Engine} certificate store at {Target} is unavailable: {why}", inner);

    /// <summary>Runs <paramref name="work"/> with an unavailable database reported as <see cref="StoreUnavailableException"/>.</summary>
    public T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception exception) when (exception is not StoreUnavailableException && IsUnavailable(exception))
        {
            throw Unavailable(exception.Message, exception);
        }
    }
}
