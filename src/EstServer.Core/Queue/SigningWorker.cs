using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EstServer.Core.Queue;

/// <summary>
/// Runs <see cref="Concurrency"/> loops that lease a job, run the signer's part of the
/// <see cref="EnrollmentPipeline"/> on it and complete it. On shutdown the job in hand is finished
/// (signing takes well under a millisecond); unleased jobs stay queued.
/// </summary>
public sealed partial class SigningWorker(
    ISigningJobSource source,
    EnrollmentPipeline pipeline,
    SigningWorkerOptions options,
    ILogger<SigningWorker> logger,
    ISigningObserver? observer = null) : BackgroundService
{
    public int Concurrency => options.Concurrency;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(() => RunLoopAsync(stoppingToken), CancellationToken.None)));

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ISigningJobLease lease;
            try
            {
                lease = await source.LeaseAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            SigningOutcome outcome;
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                outcome = SigningOutcome.From(pipeline.Sign(lease.Request));
            }
            catch (SigningDeferredException exception)
            {
                LogDeferred(logger, lease.Request.Id, exception.Message);
                await lease.AbandonAsync().ConfigureAwait(false);
                continue;
            }
            catch (Exception exception)
            {
                // A bug or a failing key must not take the worker down or leave the client hanging.
                LogProcessingFailed(logger, exception, lease.Request.Id);
                outcome = new SigningOutcome.Refused(EstError.Internal("signing failed"));
            }

            try
            {
                await lease.CompleteAsync(outcome, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The outcome could not be stored (the queue is unreachable for longer than the job's
                // lease). The loop must live on: the job is redelivered after its lease, and the first
                // stored outcome wins.
                LogCompleteFailed(logger, exception, lease.Request.Id);
                continue;
            }

            observer?.Finished(lease.Request, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Could not complete signing request {RequestId}; it will be redelivered after its lease")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Signing request {RequestId} handed back for redelivery: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Signing request {RequestId} failed")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, string requestId);
}
