namespace EstServer.Host.Configuration;

/// <summary>The embedded signer.</summary>
public sealed record SigningOptions
{
    /// <summary>Parallel signing loops; 0 means one per processor.</summary>
    public int Concurrency { get; init; }

    /// <summary>Jobs accepted beyond this are refused with 503 + Retry-After.</summary>
    public int QueueCapacity { get; init; } = 4096;
}
