namespace EstServer.Redis;

/// <summary>How many signer workers are alive, from their heartbeats (seen within three intervals).</summary>
public sealed class WorkerRegistry(RedisConnection redis, RedisQueueOptions options, TimeProvider time)
{
    public async Task<long> CountAliveAsync()
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await redis.Database.SortedSetLengthAsync(redis.Keys.Workers, now - (3 * options.HeartbeatInterval.TotalMilliseconds), double.PositiveInfinity).ConfigureAwait(false);
    }
}
