using EstServer.Core.Pipeline;

namespace EstServer.Core.Queue;

/// <summary>Told of every finished signing job; how the process's metrics learn what its signer did.</summary>
public interface ISigningObserver
{
    void Finished(SigningRequest request, SigningOutcome outcome, TimeSpan duration);
}
