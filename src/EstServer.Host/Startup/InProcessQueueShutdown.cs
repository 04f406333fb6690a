using EstServer.Core.Queue;

namespace EstServer.Host.Startup;

/// <summary>On shutdown, after the signing loops have finished the jobs in hand, answers everything still queued with 503.</summary>
public sealed class InProcessQueueShutdown(InProcessSigningQueue queue) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Shutdown();
        return Task.CompletedTask;
    }
}
