using Microsoft.Extensions.Hosting;

namespace EstServer.Redis;

/// <summary>
/// Connects to Redis and subscribes to the signers' notifications when the host starts, not inside
/// the first requests (which would all wait for the connection). Redis being down at start is not
/// fatal: requests get 503 until it is back.
/// </summary>
public sealed class RedisQueueWarmup(RedisConnection redis, RedisSigningQueue queue) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = redis.IsConnected;
        await queue.EnsureSubscribedAsync().ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
