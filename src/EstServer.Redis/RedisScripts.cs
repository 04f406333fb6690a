namespace EstServer.Redis;

/// <summary>
/// The queue's multi-key steps, each one atomic in Redis. All keys share the "{prefix}" hash tag.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// Host: queue a job unless its request is already known.
    /// KEYS: stream, accepted marker, result. ARGV: id, payload, mac, accepted TTL (s), max backlog, new-job channel.
    /// Returns 2 (result ready), 1 (already queued), 0 (queued now), -1 (backlog full).
    /// </summary>
    public const string Enqueue = """
        if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
        if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
        if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[5]) then return -1 end
        redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'job', ARGV[2], 'mac', ARGV[3])
        redis.call('SET', KEYS[2], '1', 'EX', ARGV[4])
        redis.call('PUBLISH', ARGV[6], ARGV[1])
        return 0
        """;

    /// <summary>
    /// Worker: before signing, make sure the request has no result yet and take its lock.
    /// KEYS: result, lock. ARGV: worker name, lease (ms).
    /// Returns 2 (already done: acknowledge only), 1 (another worker holds it), 0 (go).
    /// </summary>
    public const string Begin = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 2 end
        if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
        return 1
        """;

    /// <summary>
    /// Worker: store the outcome (first one wins), tell waiting hosts, acknowledge and delete the entry,
    /// release the lock. A refusal also clears the accepted marker so a retry is looked at afresh.
    /// KEYS: stream, result, lock, accepted marker. ARGV: entry id, outcome, TTL (s), refused (1/0), id, done channel.
    /// </summary>
    public const string Complete = """
        redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[3])
        if ARGV[4] == '1' then redis.call('DEL', KEYS[4]) end
        redis.call('XACK', KEYS[1], 'signers', ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        redis.call('DEL', KEYS[3])
        redis.call('PUBLISH', ARGV[6], ARGV[5])
        return 1
        """;

    /// <summary>Worker: drop an entry that is not a valid job (forged, corrupt) or already finished. KEYS: stream. ARGV: entry id.</summary>
    public const string Drop = """
        redis.call('XACK', KEYS[1], 'signers', ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        return 1
        """;
}
