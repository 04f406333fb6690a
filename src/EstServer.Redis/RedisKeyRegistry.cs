using EstServer.Core.Pipeline;
using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>The key registry shared by all signer workers: one Redis key per certified public key, expiring with the certificate.</summary>
public sealed class RedisKeyRegistry(RedisConnection redis) : IKeyRegistry
{
    public string? Claim(string keyHash, string owner, TimeSpan lifetime)
    {
        try
        {
            return ClaimOrThrow(keyHash, owner, lifetime);
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
        {
            throw new SigningDeferredException($"the key registry is unreachable ({exception.Message})", exception);
        }
    }

    private string? ClaimOrThrow(string keyHash, string owner, TimeSpan lifetime)
    {
        IDatabase database = redis.Database;
        RedisKey key = redis.Keys.PublicKey(keyHash);
        if (database.StringSet(key, owner, lifetime, When.NotExists))
        {
            return null;
        }

        string? existing = database.StringGet(key);
        if (existing is null || existing == owner)
        {
            // Renewal by the same identity (or the claim just expired): extend it.
            database.StringSet(key, owner, lifetime);
            return null;
        }

        return existing;
    }
}
