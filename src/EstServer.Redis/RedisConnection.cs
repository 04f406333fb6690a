using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>
/// The process's one multiplexer. It is created without waiting for Redis (AbortOnConnectFail off), so
/// a host starts, and answers 503, while Redis is down, and reconnects by itself when it is back.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;

    public RedisConnection(RedisQueueOptions options, string clientName)
    {
        ConfigurationOptions configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= clientName;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, (int)options.OperationTimeout.TotalMilliseconds * 2);
        configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        _multiplexer = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(configuration));
        Keys = new RedisKeys(options.KeyPrefix);
    }

    public RedisKeys Keys { get; }

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public ISubscriber Subscriber => _multiplexer.Value.GetSubscriber();

    public bool IsConnected => _multiplexer.Value.IsConnected;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
