using EstServer.Core.Pipeline;
using EstServer.Core.Queue;

namespace EstServer.Host.Tests.Support;

/// <summary>A signing queue that fails like a bug would, with details that must never reach a client.</summary>
internal sealed class ThrowingSigningQueue : ISigningQueue
{
    public const string Secret = "secret detail: key at /var/lib/est/ca.key";

    public ValueTask<SigningOutcome> SubmitAsync(SigningRequest request, TimeSpan waitBudget, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Secret);

    public SigningOutcome OutcomeWhenStopping => throw new InvalidOperationException(Secret);
}
