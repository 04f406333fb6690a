using EstServer.Core.Pipeline;

namespace EstServer.Core.Queue;

/// <summary>One job held by one signer.</summary>
public interface ISigningJobLease
{
    SigningRequest Request { get; }

    /// <summary>Stores the outcome for the waiting host and releases the job.</summary>
    ValueTask CompleteAsync(SigningOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Hands the job back undecided: the signer is stopping, or cannot reach state it needs (see <see cref="SigningDeferredException"/>).</summary>
    ValueTask AbandonAsync();
}
