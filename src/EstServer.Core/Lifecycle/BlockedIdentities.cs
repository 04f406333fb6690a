using System.Collections.Frozen;

namespace EstServer.Core.Lifecycle;

/// <summary>
/// The blocked device identities, held in memory so that an enrollment costs no store read to learn
/// its device is not blocked. The store's block revision is asked at most once per
/// <see cref="RecheckInterval"/> and the set reloaded only when it moved, so a block reaches every host
/// within that interval (an admin is promised 5 seconds); whoever records the certificate checks the
/// block once more, in the transaction that stores it, so none is issued past a committed block.
/// </summary>
public sealed class BlockedIdentities(ICertificateStatusReader store, TimeProvider time)
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private volatile Snapshot? _snapshot;

    /// <exception cref="StoreUnavailableException">The store could not be asked when the copy was due for a check.</exception>
    public bool Contains(string deviceIdentity) => Current().Identities.Contains(deviceIdentity);

    private Snapshot Current()
    {
        Snapshot? snapshot = _snapshot;
        if (IsFresh(snapshot))
        {
            return snapshot!;
        }

        // One caller asks the store; the others wait the moment it takes rather than all asking at once.
        lock (_gate)
        {
            snapshot = _snapshot;
            if (IsFresh(snapshot))
            {
                return snapshot!;
            }

            long revision = store.BlockedRevision();
            FrozenSet<string> identities = snapshot is not null && snapshot.Revision == revision
                ? snapshot.Identities
                : store.BlockedIdentities().ToFrozenSet(StringComparer.Ordinal);
            _snapshot = snapshot = new Snapshot(revision, identities, time.GetTimestamp());
            return snapshot;
        }
    }

    private bool IsFresh(Snapshot? snapshot) => snapshot is not null && time.GetElapsedTime(snapshot.CheckedAt) < RecheckInterval;

    private sealed record Snapshot(long Revision, FrozenSet<string> Identities, long CheckedAt);
}
