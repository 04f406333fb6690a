using System.Security.Cryptography;
using EstServer.Core.Pipeline;
using EstServer.TestSupport;
using StackExchange.Redis;

namespace EstServer.Redis.Tests.Support;

/// <summary>
/// One host's side of the Redis queue (queue, connection, codec) under a key prefix of its own, plus any
/// number of in-process workers (job sources with their own connections), all on a real redis-server.
/// Everything it starts is stopped on dispose.
/// </summary>
public sealed class RedisQueueHarness : IAsyncDisposable
{
    private readonly List<TestWorker> _workers = [];

    public RedisQueueHarness(RedisServer server, Func<RedisQueueOptions, RedisQueueOptions>? configure = null, QueueSecret? secret = null)
    {
        var options = new RedisQueueOptions
        {
            Configuration = server.Configuration,
            KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..10],
            LeaseTimeout = TimeSpan.FromSeconds(1),
            RefusalTtl = TimeSpan.FromSeconds(1),
            ResultPollInterval = TimeSpan.FromMilliseconds(200),
            IdlePollInterval = TimeSpan.FromMilliseconds(200),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            OperationTimeout = TimeSpan.FromMilliseconds(500),
            BreakDuration = TimeSpan.FromSeconds(1),
            RetryAfter = TimeSpan.FromSeconds(3),
        };
        Options = configure?.Invoke(options) ?? options;
        Secret = secret ?? NewSecret();
        Codec = new SigningJobCodec(Secret);
        Connection = new RedisConnection(Options, "test-host");
        Queue = new RedisSigningQueue(Connection, Options, Codec, RedisResilience.Create(Options, TimeProvider.System), TimeProvider.System, QueueLog);
    }

    public RedisQueueOptions Options { get; }

    public QueueSecret Secret { get; }

    public SigningJobCodec Codec { get; }

    public RedisConnection Connection { get; }

    public RedisSigningQueue Queue { get; }

    public ListLogger<RedisSigningQueue> QueueLog { get; } = new();

    public IDatabase Database => Connection.Database;

    public RedisKeys Keys => Connection.Keys;

    public static QueueSecret NewSecret() => QueueSecret.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    /// <summary>
    /// Opens the host's connection now, on one thread. (RedisConnection connects synchronously on first
    /// use; left to the first of many concurrent submissions, that stalls the thread pool for seconds.)
    /// </summary>
    public async Task ConnectAsync() => await Database.PingAsync();

    /// <summary>A started worker-side job source, as a signer process runs it, once it reads the stream.</summary>
    public async Task<TestWorker> StartWorkerAsync(int concurrency = 1)
    {
        var worker = new TestWorker(Options, Codec, concurrency);
        _workers.Add(worker);
        await worker.Source.StartAsync(CancellationToken.None);
        await worker.Log.WaitForAsync(message => message.Contains("reading the job stream", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        return worker;
    }

    /// <summary>Writes a stream entry the way a host does, or however a test wants to forge it.</summary>
    public Task<RedisValue> AddRawEntryAsync(params NameValueEntry[] fields) =>
        Database.StreamAddAsync(Keys.Stream, fields);

    /// <summary>Adds a correctly authenticated job straight to the stream, bypassing the host's script.</summary>
    public Task<RedisValue> AddJobAsync(SigningRequest request)
    {
        (byte[] payload, byte[] mac) = Codec.Encode(request);
        return AddRawEntryAsync(new("id", request.Id), new("job", payload), new("mac", mac));
    }

    /// <summary>Entries still in the stream (queued, delivered or not, and not yet acknowledged and deleted).</summary>
    public Task<long> StreamLengthAsync() => Database.StreamLengthAsync(Keys.Stream);

    /// <summary>Entries delivered to a worker and not acknowledged.</summary>
    public async Task<long> PendingCountAsync()
    {
        StreamPendingInfo pending = await Database.StreamPendingAsync(Keys.Stream, RedisKeys.Group);
        return pending.PendingMessageCount;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (TestWorker worker in _workers)
        {
            await worker.DisposeAsync();
        }

        Connection.Dispose();
    }
}
