namespace EstServer.Core.Queue;

public sealed record SigningWorkerOptions
{
    /// <summary>Signing is CPU-bound, so one loop per core keeps every core busy under load.</summary>
    public int Concurrency
    {
        get;
        init => field = value is > 0 and <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(Concurrency), value, "a signer needs 1 to 1024 signing loops");
    } = Environment.ProcessorCount;
}
