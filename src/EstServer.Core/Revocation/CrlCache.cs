using System.Collections.Concurrent;
using EstServer.Core.Lifecycle;

namespace EstServer.Core.Revocation;

/// <summary>
/// The stored CRLs as a host serves them: read from the store at most once per refresh interval and
/// issuer, and kept while the store is away (a CRL is valid until its nextUpdate wherever it is served
/// from, RFC 5280 §5.1.2.5). Readers never wait for one another: one refreshes, the rest serve the
/// previous answer.
/// </summary>
public sealed class CrlCache
{
    private readonly IRevocationList _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public CrlCache(IRevocationList store, TimeProvider time, TimeSpan refresh)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(refresh, TimeSpan.Zero);
        _store = store;
        _time = time;
        _refresh = refresh;
    }

    /// <summary>The newest stored CRL of the issuer; null when none was ever published.</summary>
    /// <exception cref="StoreUnavailableException">The store is away and this cache never read a CRL of the issuer.</exception>
    public PublishedCrl? Current(string issuerKeyId)
    {
        Slot slot = _slots.GetOrAdd(issuerKeyId, static _ => new Slot());
        Snapshot? snapshot = Volatile.Read(ref slot.Snapshot);
        DateTimeOffset now = _time.GetUtcNow();
        if (snapshot is not null && now - snapshot.ReadAt < _refresh)
        {
            return snapshot.Crl;
        }

        // One reader refreshes; the others keep serving the previous CRL rather than queueing on the store.
        bool refreshing = Interlocked.CompareExchange(ref slot.Refreshing, 1, 0) == 0;
        if (!refreshing && snapshot is not null)
        {
            return snapshot.Crl;
        }

        try
        {
            PublishedCrl? crl = _store.LatestCrl(issuerKeyId);
            Volatile.Write(ref slot.Snapshot, new Snapshot(crl ?? snapshot?.Crl, now));
            return crl ?? snapshot?.Crl;
        }
        catch (StoreUnavailableException) when (snapshot is not null)
        {
            // Keep the last CRL and ask again after the refresh interval, not on every request.
            Volatile.Write(ref slot.Snapshot, snapshot with { ReadAt = now });
            return snapshot.Crl;
        }
        finally
        {
            if (refreshing)
            {
                Volatile.Write(ref slot.Refreshing, 0);
            }
        }
    }

    private sealed class Slot
    {
        public Snapshot? Snapshot;
        public int Refreshing;
    }

    private sealed record Snapshot(PublishedCrl? Crl, DateTimeOffset ReadAt);
}
