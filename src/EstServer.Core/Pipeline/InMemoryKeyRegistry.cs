using System.Collections.Concurrent;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The embedded signer's key registry. It lives in the process: claims are lost on restart, and the
/// oldest are dropped beyond the capacity. Redis mode keeps them in Redis instead.
/// </summary>
public sealed class InMemoryKeyRegistry(TimeProvider time, int capacity = 1_000_000) : IKeyRegistry
{
    private readonly ConcurrentDictionary<string, (string Owner, DateTimeOffset Expires)> _claims = new(StringComparer.Ordinal);

    public string? Claim(string keyHash, string owner, TimeSpan lifetime)
    {
        DateTimeOffset now = time.GetUtcNow();
        (string Owner, DateTimeOffset Expires) claim = _claims.AddOrUpdate(
            keyHash,
            _ => (owner, now + lifetime),
            (_, existing) => existing.Owner == owner || existing.Expires <= now ? (owner, now + lifetime) : existing);
        if (_claims.Count > capacity)
        {
            Trim(now);
        }

        return claim.Owner == owner ? null : claim.Owner;
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (KeyValuePair<string, (string Owner, DateTimeOffset Expires)> entry in _claims.OrderBy(e => e.Value.Expires).Take(_claims.Count - capacity + (capacity / 10)))
        {
            _claims.TryRemove(entry);
        }
    }
}
