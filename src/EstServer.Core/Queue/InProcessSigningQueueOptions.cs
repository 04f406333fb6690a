namespace EstServer.Core.Queue;

public sealed record InProcessSigningQueueOptions
{
    /// <summary>Jobs waiting for a signer beyond this are refused with 503 rather than queued without bound.</summary>
    public int Capacity { get; init; } = 4096;

    /// <summary>The Retry-After given with a 202 or a 503.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a certificate is kept for a client that repeats a request it already got an answer to.</summary>
    public TimeSpan ResultRetention { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a certificate is kept for a client that was told 202 and will come back for it.</summary>
    public TimeSpan PendingResultRetention { get; init; } = TimeSpan.FromHours(1);
}
