namespace EstServer.Core.Queue;

/// <summary>What is waiting to be signed, for metrics: how many jobs, and how long the oldest has waited.</summary>
public interface IQueueStatistics
{
    ValueTask<(long Depth, TimeSpan? OldestAge)> SampleAsync(CancellationToken cancellationToken);
}
