using System.Data.Common;
using EstServer.Store.Sql;

namespace EstServer.Store.Sqlite;

/// <summary>
/// Group commit for SQLite's single writer. Every write transaction waits for its fsync (synchronous =
/// FULL), so one commit at a time would cap the whole server at one record per fsync. Instead the
/// writes waiting at one moment run each in its own savepoint of one transaction (a failing one is
/// rolled back alone) and commit with one fsync; each caller gets its result only after that commit,
/// so nothing is reported recorded before it is durable. There is no writer thread: a caller that finds
/// no commit under way leads, committing on its own thread (a lone write costs no thread switch), and
/// once its own write is committed hands the lead to the next waiting caller. The leader uses one
/// connection with its statements prepared, and, being this process's only writer, a page cache no
/// other connection's commit invalidates; a failed group opens a fresh one.
/// </summary>
internal sealed class SqliteGroupCommit : IDisposable
{
    /// <summary>Enough to absorb a burst; small enough that one batch never holds the write lock for long.</summary>
    private const int MaxBatch = 64;

    private const string Savepoint = "write";

    private readonly object _gate = new();
    private readonly Queue<PendingWrite> _queue = new();
    private readonly Func<DbConnection> _open;
    private readonly Func<DbConnection, DbTransaction> _begin;
    private readonly Func<Exception, bool> _breaksTransaction;
    private bool _leading;
    private bool _disposed;

    // The leader's alone.
    private DbConnection? _connection;
    private PreparedCommands? _commands;

    public SqliteGroupCommit(Func<DbConnection> open, Func<DbConnection, DbTransaction> begin, Func<Exception, bool> breaksTransaction)
    {
        _open = open;
        _begin = begin;
        _breaksTransaction = breaksTransaction;
    }

    /// <summary>Runs <paramref name="work"/> in the next group and returns its result once that group is committed; rethrows what it or the commit threw.</summary>
    public T Write<T>(Func<DbConnection, DbTransaction, T> work, TimeSpan timeout)
    {
        var pending = new PendingWrite<T>(work);
        bool lead;
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("the SQLite store is closed");
            }

            _queue.Enqueue(pending);
            lead = !_leading;
            _leading = true;
        }

        if (lead)
        {
            Lead(pending);
        }
        else
        {
            Follow(pending, timeout);
        }

        return pending.Result();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_leading)
            {
                Monitor.Wait(_gate);
            }
        }

        CloseConnection();
    }

    /// <summary>Waits for the write's group to commit, or to be handed the lead.</summary>
    private void Follow(PendingWrite pending, TimeSpan timeout)
    {
        while (!pending.Signal.Wait(timeout))
        {
            lock (_gate)
            {
                if (!pending.Promoted && !pending.Finished)
                {
                    // It may still commit: a caller told "unavailable" retries, and the retry finds the record.
                    pending.Abandoned = true;
                    throw new TimeoutException($"no commit within {timeout.TotalMilliseconds:0} ms");
                }
            }
        }

        if (!pending.Finished)
        {
            pending.Signal.Reset();
            Lead(pending);
        }
    }

    /// <summary>Commits groups until <paramref name="own"/> is committed, then hands the lead on (or ends it when nobody waits).</summary>
    private void Lead(PendingWrite own)
    {
        while (true)
        {
            var batch = new List<PendingWrite>(MaxBatch);
            lock (_gate)
            {
                if (own.Finished && HandOff())
                {
                    return;
                }

                while (batch.Count < MaxBatch && _queue.TryDequeue(out PendingWrite? next))
                {
                    batch.Add(next);
                }
            }

            Commit(batch);
        }
    }

    /// <summary>Under the gate: whether the lead ended or passed to a waiting caller (false: only abandoned writes wait, so lead on).</summary>
    private bool HandOff()
    {
        if (_queue.Count == 0)
        {
            _leading = false;
            Monitor.PulseAll(_gate);
            return true;
        }

        foreach (PendingWrite waiting in _queue)
        {
            if (!waiting.Abandoned)
            {
                waiting.Promoted = true;
                waiting.Signal.Set();
                return true;
            }
        }

        return false;
    }

    private DbConnection Connection()
    {
        if (_connection is null)
        {
            DbConnection connection = _open();
            _commands = new PreparedCommands();
            SqlCommands.KeepPrepared(connection, _commands);
            _connection = connection;
        }

        return _connection;
    }

    private void CloseConnection()
    {
        _commands?.Dispose();
        _connection?.Dispose();
        _commands = null;
        _connection = null;
    }

    private void Commit(List<PendingWrite> batch)
    {
        var ran = new List<PendingWrite>(batch.Count);
        try
        {
            DbConnection connection = Connection();
            using DbTransaction transaction = _begin(connection);
            if (batch.Count == 1)
            {
                // Alone, a write needs no savepoint: if it fails, rolling back the group rolls back only it.
                batch[0].Run(connection, transaction);
                transaction.Commit();
                batch[0].Finish(null);
                return;
            }

            foreach (PendingWrite write in batch)
            {
                transaction.Save(Savepoint);
                try
                {
                    write.Run(connection, transaction);
                    transaction.Release(Savepoint);
                    ran.Add(write);
                }
                catch (Exception exception) when (!_breaksTransaction(exception))
                {
                    transaction.Rollback(Savepoint);
                    transaction.Release(Savepoint);
                    write.Finish(exception);
                }
            }

            transaction.Commit();
            foreach (PendingWrite write in ran)
            {
                write.Finish(null);
            }
        }
        catch (Exception exception)
        {
            // Whatever broke may have broken the connection too: the next group opens another.
            CloseConnection();
            // Nothing of the group is committed: every write not yet answered fails with the cause.
            foreach (PendingWrite write in batch.Where(write => !write.Finished))
            {
                write.Finish(exception);
            }
        }
    }

    private abstract class PendingWrite
    {
        private Exception? _failure;
        private volatile bool _finished;
        private volatile bool _promoted;

        // Set when the write is committed or failed, or when its caller is handed the lead. No spinning:
        // on a small machine a spinning waiter takes the core the leader or a TLS handshake needs.
        public ManualResetEventSlim Signal { get; } = new(false, spinCount: 0);

        public bool Finished => _finished;

        /// <summary>Under the gate: its caller leads now.</summary>
        public bool Promoted
        {
            get => _promoted;
            set => _promoted = value;
        }

        /// <summary>Under the gate: its caller stopped waiting; it still commits with a group, but never leads.</summary>
        public bool Abandoned { get; set; }

        public abstract void Run(DbConnection connection, DbTransaction transaction);

        public void Finish(Exception? failure)
        {
            _failure = failure;
            _finished = true;
            Signal.Set();
        }

        protected void ThrowIfFailed()
        {
            if (_failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            }
        }
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, T> work) : PendingWrite
    {
        private T _result = default!;

        public override void Run(DbConnection connection, DbTransaction transaction) => _result = work(connection, transaction);

        public T Result()
        {
            ThrowIfFailed();
            return _result;
        }
    }
}
