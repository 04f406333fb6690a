using EstServer.Core.Queue;

namespace EstServer.Redis.Tests.Support;

/// <summary>A worker's job source with its own connection and consumer name, as one signer process has.</summary>
public sealed class TestWorker : IAsyncDisposable
{
    private bool _stopped;

    public TestWorker(RedisQueueOptions options, SigningJobCodec codec, int concurrency)
    {
        Connection = new RedisConnection(options, "test-worker");
        Source = new RedisSigningJobSource(
            Connection,
            options,
            codec,
            RedisResilience.Create(options, TimeProvider.System),
            new SigningWorkerOptions { Concurrency = concurrency },
            new WorkerIdentity(),
            TimeProvider.System,
            Log);
    }

    public RedisConnection Connection { get; }

    public RedisSigningJobSource Source { get; }

    public ListLogger<RedisSigningJobSource> Log { get; } = new();

    /// <summary>Waits for the next job this worker hands to a signing loop.</summary>
    public async Task<ISigningJobLease> LeaseAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            return await Source.LeaseAsync(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"worker {Source.Name} was handed no job within {timeout}; its log:\n{string.Join('\n', Log.Messages)}");
        }
    }

    /// <summary>Stops the fetch loop, as a process that stops reading; leases already handed out stay open.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Source.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Source.Dispose();
        Connection.Dispose();
    }
}
