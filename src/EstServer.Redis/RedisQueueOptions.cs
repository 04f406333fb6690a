namespace EstServer.Redis;

/// <summary>
/// How the Redis Streams queue behaves; shared by hosts and signer workers. Bound from the "Est:Queue"
/// configuration section (the connection string itself is "Est:Redis").
/// </summary>
public sealed record RedisQueueOptions
{
    /// <summary>A StackExchange.Redis configuration string (single node, Sentinel or Cluster).</summary>
    public string Configuration { get; init; } = "";

    /// <summary>Base64 of at least 32 random bytes, shared by hosts and workers; authenticates jobs (HMAC). Prefer SecretFile.</summary>
    public string Secret { get; init; } = "";

    /// <summary>A file holding the secret. With the development PKI and neither setting, DATA_DIR/queue-secret is created and shared.</summary>
    public string SecretFile { get; init; } = "";

    /// <summary>Key names are "{prefix}:…": the braces are a Redis Cluster hash tag, so every key lands in one slot and scripts may touch several.</summary>
    public string KeyPrefix { get; init; } = "est";

    /// <summary>A job held this long by a silent worker is taken over by another (XAUTOCLAIM min-idle-time).</summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Jobs waiting beyond this are refused with 503 instead of queued.</summary>
    public int MaxBacklog { get; init; } = 10_000;

    /// <summary>How long an issued certificate is kept for a client repeating its request (after a 202, or a lost answer).</summary>
    public TimeSpan ResultTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a refusal is remembered; short, so that a retry after a transient refusal is looked at afresh.</summary>
    public TimeSpan RefusalTtl { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Host: how often a waiting request checks for its result when no notification came (a missed pub/sub message).</summary>
    public TimeSpan ResultPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Worker: how often the stream is read when no new-job notification came.</summary>
    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on one Redis call, retries excluded.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After repeated failures Redis is not called at all for this long; requests get 503 at once.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The Retry-After given with a 202 or a 503.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The record's printed form names every setting but shows the secret only as set or not: options
    /// end up in logs and exception messages, a job-signing key must not (the brief's rule on secrets).
    /// </summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Configuration = {RedactedConfiguration()}, Secret = {(Secret.Length > 0 ? "(set)" : "(none)")}, SecretFile = {SecretFile}, ");
        builder.Append($"KeyPrefix = {KeyPrefix}, LeaseTimeout = {LeaseTimeout}, MaxBacklog = {MaxBacklog}, ResultTtl = {ResultTtl}, ");
        builder.Append($"RefusalTtl = {RefusalTtl}, ResultPollInterval = {ResultPollInterval}, IdlePollInterval = {IdlePollInterval}, ");
        builder.Append($"HeartbeatInterval = {HeartbeatInterval}, OperationTimeout = {OperationTimeout}, BreakDuration = {BreakDuration}, RetryAfter = {RetryAfter}");
        return true;
    }

    /// <summary>A StackExchange.Redis configuration string may carry password=…; that part is not printed.</summary>
    private string RedactedConfiguration() =>
        string.Join(',', Configuration.Split(',').Select(part => part.Trim().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=(set)" : part));
}
