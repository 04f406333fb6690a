using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>
/// Each worker records "alive at" in one sorted set every heartbeat interval, so hosts can tell
/// whether any signer is alive (readiness), and removes itself on a clean shutdown.
/// </summary>
public sealed partial class WorkerHeartbeat(RedisConnection redis, RedisQueueOptions options, WorkerIdentity identity, TimeProvider time, ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        do
        {
            try
            {
                long now = time.GetUtcNow().ToUnixTimeMilliseconds();
                IDatabase database = redis.Database;
                await database.SortedSetAddAsync(redis.Keys.Workers, identity.Name, now).ConfigureAwait(false);
                // Names of workers silent for ten heartbeats are forgotten.
                await database.SortedSetRemoveRangeByScoreAsync(redis.Keys.Workers, double.NegativeInfinity, now - (10 * options.HeartbeatInterval.TotalMilliseconds)).ConfigureAwait(false);
            }
            catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
            {
                LogMissed(logger, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await redis.Database.SortedSetRemoveAsync(redis.Keys.Workers, identity.Name).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
        {
            // It ages out of the set.
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Heartbeat not recorded: {Message}")]
    private static partial void LogMissed(ILogger logger, string message);
}
