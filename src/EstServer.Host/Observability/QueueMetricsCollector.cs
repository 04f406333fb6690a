using EstServer.Core.Queue;
using EstServer.Redis;
using Prometheus;

namespace EstServer.Host.Observability;

/// <summary>Samples the queue (and, in Redis mode, the live workers) each time /metrics is scraped, not on a timer.</summary>
public sealed partial class QueueMetricsCollector(IQueueStatistics queue, ILogger<QueueMetricsCollector> logger, WorkerRegistry? workers = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(SampleAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        try
        {
            (long depth, TimeSpan? oldest) = await queue.SampleAsync(cancellationToken).ConfigureAwait(false);
            EstMetrics.QueueDepth.Set(depth);
            EstMetrics.QueueOldestPending.Set(oldest?.TotalSeconds ?? 0);
            if (workers is not null)
            {
                EstMetrics.SignerWorkers.Set(await workers.CountAliveAsync().ConfigureAwait(false));
            }
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
        {
            // Redis down: the gauges keep their last values; /readyz says why.
            LogSampleFailed(logger, exception.Message);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Queue metrics not sampled: {Message}")]
    private static partial void LogSampleFailed(ILogger logger, string message);
}
