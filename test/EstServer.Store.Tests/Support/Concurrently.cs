namespace EstServer.Store.Tests.Support;

/// <summary>Runs the same action on several real threads released together, to make races happen.</summary>
public static class Concurrently
{
    public static T[] Run<T>(int threads, Func<int, T> action)
    {
        using var start = new Barrier(threads);
        var results = new T[threads];
        var failures = new List<Exception>();
        Thread[] workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                results[i] = action(i);
            }
            catch (Exception exception)
            {
                lock (failures)
                {
                    failures.Add(exception);
                }
            }
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return failures.Count == 0 ? results : throw new AggregateException(failures);
    }
}
