namespace EstServer.Core.Queue;

/// <summary>
/// The signer's side of the queue. Delivery is at-least-once: a leased job is either completed (result
/// stored, then acknowledged) or handed back, and may be seen again after a crash, which is why
/// issuance is idempotent by request id.
/// </summary>
public interface ISigningJobSource
{
    ValueTask<ISigningJobLease> LeaseAsync(CancellationToken cancellationToken);
}
