using System.Collections.Concurrent;
using EstServer.Core.Lifecycle;

namespace EstServer.Core.Revocation;

/// <summary>
/// Each serial's state as last read from the store, for a short while: OCSP clients check the same
/// certificates over and over, and a database round trip per answer would cap the responder's rate.
/// "Never recorded" is cached too, so a flood for an unknown serial costs no more.
/// </summary>
internal sealed class OcspStatusCache(ICertificateStatusReader store, string issuerKeyId, TimeProvider time, TimeSpan duration, int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _count;

    /// <exception cref="StoreUnavailableException">The serial is not cached and the store is away.</exception>
    public CertificateState? Find(string serial)
    {
        long now = time.GetTimestamp();
        if (_entries.TryGetValue(serial, out Entry? cached) && now < cached.ExpiresAt)
        {
            return cached.State;
        }

        CertificateState? state = store.FindState(issuerKeyId, serial);
        if (duration > TimeSpan.Zero)
        {
            var entry = new Entry(state, now + (long)(duration.TotalSeconds * time.TimestampFrequency));
            if (!_entries.TryAdd(serial, entry))
            {
                _entries[serial] = entry;
            }
            else if (Interlocked.Increment(ref _count) > capacity)
            {
                // Bounded the simple way: start over (a few store reads follow). The count is kept
                // beside the dictionary because its Count takes every lock.
                _entries.Clear();
                Interlocked.Exchange(ref _count, 0);
            }
        }

        return state;
    }

    private sealed record Entry(CertificateState? State, long ExpiresAt);
}
