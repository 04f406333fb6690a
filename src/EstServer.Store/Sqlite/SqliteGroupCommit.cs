using System.Collections.Concurrent;
using System.Data.Common;

namespace EstServer.Store.Sqlite;

/// <summary>
/// Group commit for SQLite's single writer. Every write transaction waits for its fsync (synchronous =
/// FULL), so one commit at a time would cap the whole server at one record per fsync. Instead one
/// writer thread takes every write waiting at that moment, runs each in its own savepoint of one
/// transaction (a failing one is rolled back alone) and commits them with one fsync; each caller gets
/// its result only after that commit, so nothing is reported recorded before it is durable.
/// </summary>
internal sealed class SqliteGroupCommit : IDisposable
{
    /// <summary>Enough to absorb a burst; small enough that one batch never holds the write lock for long.</summary>
    private const int MaxBatch = 64;

    private const string Savepoint = "write";

    private readonly BlockingCollection<PendingWrite> _queue = new();
    private readonly Func<DbConnection> _open;
    private readonly Func<DbConnection, DbTransaction> _begin;
    private readonly Func<Exception, bool> _breaksTransaction;
    private readonly Thread _writer;
    private int _disposed;

    public SqliteGroupCommit(Func<DbConnection> open, Func<DbConnection, DbTransaction> begin, Func<Exception, bool> breaksTransaction)
    {
        _open = open;
        _begin = begin;
        _breaksTransaction = breaksTransaction;
        _writer = new Thread(Run) { IsBackground = true, Name = "sqlite-group-commit" };
        _writer.Start();
    }

    /// <summary>Runs <paramref name="work"/> in the next group and returns its result once that group is committed; rethrows what it or the commit threw.</summary>
    public T Write<T>(Func<DbConnection, DbTransaction, T> work, TimeSpan timeout)
    {
        var pending = new PendingWrite<T>(work);
        try
        {
            _queue.Add(pending);
        }
        catch (InvalidOperationException exception)
        {
            throw new ObjectDisposedException("the SQLite store is closed", exception);
        }

        if (!pending.Done.Wait(timeout))
        {
            // It may still commit: a caller told "unavailable" retries, and the retry finds the record.
            throw new TimeoutException($"no commit within {timeout.TotalMilliseconds:0} ms");
        }

        return pending.Result();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(30));
        _queue.Dispose();
    }

    private void Run()
    {
        foreach (PendingWrite first in _queue.GetConsumingEnumerable())
        {
            var batch = new List<PendingWrite>(MaxBatch) { first };
            while (batch.Count < MaxBatch && _queue.TryTake(out PendingWrite? next))
            {
                batch.Add(next);
            }

            Commit(batch);
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        var ran = new List<PendingWrite>(batch.Count);
        try
        {
            using DbConnection connection = _open();
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
            // Nothing of the group is committed: every write not yet answered fails with the cause.
            foreach (PendingWrite write in batch.Where(write => !write.Done.IsSet))
            {
                write.Finish(exception);
            }
        }
    }

    private abstract class PendingWrite
    {
        private Exception? _failure;

        // No spinning: on a small machine a spinning waiter takes the core the writer or a TLS handshake needs.
        public ManualResetEventSlim Done { get; } = new(false, spinCount: 0);

        public abstract void Run(DbConnection connection, DbTransaction transaction);

        public void Finish(Exception? failure)
        {
            _failure = failure;
            Done.Set();
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
