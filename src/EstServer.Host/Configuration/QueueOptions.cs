namespace EstServer.Host.Configuration;

/// <summary>The "Est:Queue" section: the Redis queue between hosts and signer workers (used when Est:Redis is set).</summary>
public sealed class QueueOptions
{
    /// <summary>Base64 of at least 32 random bytes, shared by hosts and workers; authenticates jobs (HMAC). Prefer SecretFile.</summary>
    public string Secret { get; set; } = "";

    /// <summary>A file holding the secret. With the development PKI and neither setting, DATA_DIR/queue-secret is created and shared.</summary>
    public string SecretFile { get; set; } = "";

    public string KeyPrefix { get; set; } = "est";

    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxBacklog { get; set; } = 10_000;

    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ResultPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
