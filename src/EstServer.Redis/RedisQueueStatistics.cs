using EstServer.Core.Queue;
using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>The Redis backlog: the stream's length (entries are deleted once signed) and the age of its first entry (stream ids start with the enqueue time in ms).</summary>
public sealed class RedisQueueStatistics(RedisConnection redis, TimeProvider time) : IQueueStatistics
{
    public async ValueTask<(long Depth, TimeSpan? OldestAge)> SampleAsync(CancellationToken cancellationToken)
    {
        IDatabase database = redis.Database;
        long depth = await database.StreamLengthAsync(redis.Keys.Stream).ConfigureAwait(false);
        StreamEntry[] first = await database.StreamRangeAsync(redis.Keys.Stream, "-", "+", 1).ConfigureAwait(false);
        TimeSpan? oldest = null;
        if (first.Length == 1 && long.TryParse(first[0].Id.ToString().Split('-')[0], out long milliseconds))
        {
            oldest = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }

        return (depth, oldest);
    }
}
