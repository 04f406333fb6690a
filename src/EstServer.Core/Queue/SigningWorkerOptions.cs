namespace EstServer.Core.Queue;

public sealed record SigningWorkerOptions
{
    /// <summary>Signing is CPU-bound, so one loop per core keeps every core busy under load.</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;
}
