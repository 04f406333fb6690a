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
}
