using System.Threading.Channels;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>
/// The signer's side of the Redis queue. A fetch loop reads the consumer group (XREADGROUP), takes over
/// jobs whose worker went silent for longer than the lease (XAUTOCLAIM), checks each job's MAC, skips
/// requests that already have a result, and takes the request's lock before handing the job to a
/// signing loop. StackExchange.Redis cannot block on XREADGROUP, so an idle loop waits for the hosts'
/// new-job notification, with a slow poll as the fallback: idle costs nothing, new work starts at once.
/// Delivery is at-least-once; issuance is idempotent because the result is stored, under the request
/// id, before the entry is acknowledged.
/// </summary>
public sealed partial class RedisSigningJobSource(
    RedisConnection redis,
    RedisQueueOptions options,
    SigningJobCodec codec,
    ResiliencePipeline pipeline,
    SigningWorkerOptions worker,
    WorkerIdentity identity,
    TimeProvider time,
    ILogger<RedisSigningJobSource> logger) : BackgroundService, ISigningJobSource
{
    // Hold no more jobs than can be signed at once: the rest stay in Redis for other workers.
    private readonly Channel<ISigningJobLease> _ready =
        Channel.CreateBounded<ISigningJobLease>(new BoundedChannelOptions(worker.Concurrency) { SingleWriter = true });

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly int _batch = worker.Concurrency;
    private long _nextReclaim;
    private RedisValue _reclaimCursor = "0-0";

    /// <summary>This worker's consumer name in the group.</summary>
    public string Name { get; } = identity.Name;

    public async ValueTask<ISigningJobLease> LeaseAsync(CancellationToken cancellationToken) =>
        await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(200);
        bool prepared = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!prepared)
                {
                    await PrepareAsync().ConfigureAwait(false);
                    prepared = true;
                    LogStarted(logger, Name, _batch);
                }

                int handed = await FetchOnceAsync(stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(200);
                if (handed == 0)
                {
                    await _wake.WaitAsync(options.IdlePollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException exception) when (exception.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // Redis came back without the stream (no persistence, FLUSHALL, failover to an empty
                // replica): make the group again and carry on.
                LogGroupLost(logger, Name);
                prepared = false;
            }
            catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
            {
                LogRedisUnavailable(logger, Name, exception.Message, backoff.TotalMilliseconds);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }

        // The signing loops (stopped first) have finished the jobs they held; jobs still waiting here
        // are handed back: their locks are released and another worker takes them over after the lease.
        _ready.Writer.TryComplete();
        while (_ready.Reader.TryRead(out ISigningJobLease? unstarted))
        {
            await unstarted.AbandonAsync().ConfigureAwait(false);
        }
    }

    private async Task PrepareAsync()
    {
        try
        {
            await redis.Database.StreamCreateConsumerGroupAsync(redis.Keys.Stream, RedisKeys.Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists: another worker or an earlier run made it.
        }

        await redis.Subscriber.SubscribeAsync(redis.Keys.NewJob, (_, _) => Wake()).ConfigureAwait(false);
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <returns>How many jobs were handed to the signing loops.</returns>
    private async Task<int> FetchOnceAsync(CancellationToken stoppingToken)
    {
        IDatabase database = redis.Database;
        RedisKeys keys = redis.Keys;
        StreamEntry[] entries = await pipeline.ExecuteAsync(
            async _ => await database.StreamReadGroupAsync(keys.Stream, RedisKeys.Group, Name, StreamPosition.NewMessages, _batch).ConfigureAwait(false),
            stoppingToken).ConfigureAwait(false);

        if (time.GetTimestamp() >= _nextReclaim)
        {
            // Take over jobs a dead or stuck worker has held longer than the lease, on a schedule, busy
            // or not: under steady load there is always new work, and orphans must not wait for a lull.
            _nextReclaim = time.GetTimestamp() + (long)(options.LeaseTimeout.TotalSeconds / 4 * time.TimestampFrequency);
            StreamAutoClaimResult claimed = await pipeline.ExecuteAsync(
                async _ => await database.StreamAutoClaimAsync(keys.Stream, RedisKeys.Group, Name, (long)options.LeaseTimeout.TotalMilliseconds, _reclaimCursor, _batch).ConfigureAwait(false),
                stoppingToken).ConfigureAwait(false);

            // XAUTOCLAIM scans the pending list from a cursor; "0-0" back means the scan went round.
            _reclaimCursor = claimed.NextStartId.IsNullOrEmpty ? "0-0" : claimed.NextStartId;
            StreamEntry[] orphans = claimed.ClaimedEntries.Where(entry => !entry.IsNull).ToArray();
            if (orphans.Length > 0)
            {
                LogReclaimed(logger, Name, orphans.Length);
                entries = [.. entries, .. orphans];
            }
        }

        int handed = 0;
        foreach (StreamEntry entry in entries)
        {
            if (await PrepareLeaseAsync(entry, stoppingToken).ConfigureAwait(false) is { } lease)
            {
                await _ready.Writer.WriteAsync(lease, stoppingToken).ConfigureAwait(false);
                handed++;
            }
        }

        return handed;
    }

    private async Task<ISigningJobLease?> PrepareLeaseAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        RedisKeys keys = redis.Keys;
        byte[]? payload = entry["job"];
        byte[]? mac = entry["mac"];
        SigningRequest? request = payload is null || mac is null ? null : codec.Decode(payload, mac);
        if (request is null || request.Id != (string?)entry["id"])
        {
            LogForged(logger, Name, entry.Id.ToString());
            await DropAsync(entry.Id, stoppingToken).ConfigureAwait(false);
            return null;
        }

        RedisResult begun = await pipeline.ExecuteAsync(
            async _ => await redis.Database.ScriptEvaluateAsync(
                RedisScripts.Begin,
                [keys.Result(request.Id), keys.Lock(request.Id)],
                [Name, (long)options.LeaseTimeout.TotalMilliseconds]).ConfigureAwait(false),
            stoppingToken).ConfigureAwait(false);
        switch ((long)begun)
        {
            case 2:
                // Signed before (a redelivery after a crash between storing and acknowledging).
                await DropAsync(entry.Id, stoppingToken).ConfigureAwait(false);
                return null;
            case 1:
                // Another worker is signing it right now; it will acknowledge the entry.
                return null;
            default:
                return new Lease(this, entry.Id, request);
        }
    }

    private Task DropAsync(RedisValue entryId, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(
            async _ => await redis.Database.ScriptEvaluateAsync(RedisScripts.Drop, [redis.Keys.Stream], [entryId]).ConfigureAwait(false),
            cancellationToken).AsTask();

    private async ValueTask CompleteAsync(RedisValue entryId, SigningRequest request, SigningOutcome outcome)
    {
        RedisKeys keys = redis.Keys;
        bool refused = outcome is not SigningOutcome.Issued;
        TimeSpan ttl = refused ? options.RefusalTtl : options.ResultTtl;
        string stored = SigningOutcomeCodec.Encode(outcome);
        TimeSpan backoff = TimeSpan.FromMilliseconds(100);
        long giveUp = time.GetTimestamp() + (long)(options.LeaseTimeout.TotalSeconds * time.TimestampFrequency);

        // A signed certificate that is not stored would be signed again after the lease, so keep trying
        // for as long as the lease protects the job.
        while (true)
        {
            try
            {
                await pipeline.ExecuteAsync(
                    async _ => await redis.Database.ScriptEvaluateAsync(
                        RedisScripts.Complete,
                        [keys.Stream, keys.Result(request.Id), keys.Lock(request.Id), keys.Accepted(request.Id)],
                        [entryId, stored, (long)ttl.TotalSeconds, refused ? "1" : "0", request.Id, keys.Done.ToString()]).ConfigureAwait(false),
                    CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
            {
                if (time.GetTimestamp() >= giveUp)
                {
                    // The lease has run out: another worker may take the job over, and the first stored
                    // result wins. Stop here; the signing loop goes on with other work.
                    LogCompleteAbandoned(logger, request.Id);
                    return;
                }

                LogCompleteRetry(logger, request.Id, exception.Message);
                await Task.Delay(backoff, time).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private async ValueTask ReleaseAsync(SigningRequest request)
    {
        try
        {
            await redis.Database.KeyDeleteAsync(redis.Keys.Lock(request.Id)).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
        {
            // The lock expires with the lease anyway.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Signer {Worker} reading the job stream with {Concurrency} signing loops")]
    private static partial void LogStarted(ILogger logger, string worker, int concurrency);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Signer {Worker} refused stream entry {EntryId}: its MAC does not verify (forged or corrupt job); dropped")]
    private static partial void LogForged(ILogger logger, string worker, string entryId);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Signer {Worker} took over {Count} jobs whose worker went silent")]
    private static partial void LogReclaimed(ILogger logger, string worker, int count);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Signer {Worker}: Redis unavailable ({Message}); retrying in {DelayMs} ms")]
    private static partial void LogRedisUnavailable(ILogger logger, string worker, string message, double delayMs);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "Gave up storing the result of request {RequestId} after its lease; it will be signed again when redelivered")]
    private static partial void LogCompleteAbandoned(ILogger logger, string requestId);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "Signer {Worker}: the job stream's consumer group is gone (Redis lost its data?); recreating it")]
    private static partial void LogGroupLost(ILogger logger, string worker);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Could not store the result of request {RequestId} yet ({Message}); retrying")]
    private static partial void LogCompleteRetry(ILogger logger, string requestId, string message);

    private sealed class Lease(RedisSigningJobSource source, RedisValue entryId, SigningRequest request) : ISigningJobLease
    {
        public SigningRequest Request { get; } = request;

        public ValueTask CompleteAsync(SigningOutcome outcome, CancellationToken cancellationToken) =>
            source.CompleteAsync(entryId, Request, outcome);

        public ValueTask AbandonAsync() => source.ReleaseAsync(Request);
    }
}
