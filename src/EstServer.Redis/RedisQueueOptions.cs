namespace EstServer.Redis;

/// <summary>
/// How the Redis Streams queue behaves; shared by hosts and signer workers. Bound from the "Est:Queue"
/// configuration section (the connection string itself is "Est:Redis").
/// </summary>
public sealed record RedisQueueOptions
{
    /// <summary>A StackExchange.Redis configuration string (single node, Sentinel or Cluster).</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Base64 of at least 32 random bytes, shared by hosts and workers; authenticates jobs (HMAC). Prefer SecretFile.</summary>
    public string Secret { get; set; } = "";

    /// <summary>A file holding the secret. With the development PKI and neither setting, DATA_DIR/queue-secret is created and shared.</summary>
    public string SecretFile { get; set; } = "";

    /// <summary>Key names are "{prefix}:…": the braces are a Redis Cluster hash tag, so every key lands in one slot and scripts may touch several.</summary>
    public string KeyPrefix { get; set; } = "est";

    /// <summary>A job held this long by a silent worker is taken over by another (XAUTOCLAIM min-idle-time).</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Jobs waiting beyond this are refused with 503 instead of queued.</summary>
    public int MaxBacklog { get; set; } = 10_000;

    /// <summary>How long an issued certificate is kept for a client repeating its request (after a 202, or a lost answer).</summary>
    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a refusal is remembered; short, so that a retry after a transient refusal is looked at afresh.</summary>
    public TimeSpan RefusalTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Host: how often a waiting request checks for its result when no notification came (a missed pub/sub message).</summary>
    public TimeSpan ResultPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Worker: how often the stream is read when no new-job notification came.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on one Redis call, retries excluded.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After repeated failures Redis is not called at all for this long; requests get 503 at once.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The Retry-After given with a 202 or a 503.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
