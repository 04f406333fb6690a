using EstServer.Core.Pipeline;
using EstServer.Core.Queue;

namespace EstServer.Host.Observability;

/// <summary>Counts what this process's signer did.</summary>
public sealed class MetricsSigningObserver : ISigningObserver
{
    public void Finished(SigningRequest request, SigningOutcome outcome, TimeSpan duration)
    {
        EstMetrics.SigningDuration.Observe(duration.TotalSeconds);
        switch (outcome)
        {
            case SigningOutcome.Issued:
                EstMetrics.Issued.WithLabels(request.ProfileName).Inc();
                break;
            case SigningOutcome.Refused refused:
                EstMetrics.SigningRefused.WithLabels(EstMetrics.Reason(refused.Error.Kind)).Inc();
                break;
        }
    }
}
