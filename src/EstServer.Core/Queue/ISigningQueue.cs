using EstServer.Core.Pipeline;

namespace EstServer.Core.Queue;

/// <summary>
/// The host's side of the signing queue. Submitting a request whose id is already known joins the
/// existing job instead of creating a second one.
/// </summary>
public interface ISigningQueue
{
    /// <summary>Queues the request (unless known) and waits for its outcome for at most <paramref name="waitBudget"/>.</summary>
    ValueTask<SigningOutcome> SubmitAsync(SigningRequest request, TimeSpan waitBudget, CancellationToken cancellationToken);

    /// <summary>
    /// The answer for a request that stops waiting because this process is shutting down. Whether its
    /// job outlives the process decides it: a job kept elsewhere will be signed, so the client comes
    /// back for it (202, RFC 7030 §4.2.3); a job kept in this process will not, so it goes elsewhere or
    /// tries again (503).
    /// </summary>
    SigningOutcome OutcomeWhenStopping { get; }
}
