namespace EstServer.Core.Queue;

public sealed record SigningWorkerOptions
{
    /// <summary>The most signing loops a signer runs; the host's Est:Signing:Concurrency is checked against the same bound.</summary>
    public const int MaxConcurrency = 1024;

    /// <summary>Signing is CPU-bound, so one loop per core keeps every core busy under load.</summary>
    public int Concurrency
    {
        get;
        init => field = value is > 0 and <= MaxConcurrency ? value : throw new ArgumentOutOfRangeException(nameof(Concurrency), value, $"a signer needs 1 to {MaxConcurrency} signing loops");
    } = Environment.ProcessorCount;
}
