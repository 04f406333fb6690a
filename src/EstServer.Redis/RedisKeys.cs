using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>
/// The queue's key and channel names. Every key carries the hash tag "{prefix}" so that on Redis
/// Cluster all of them hash to one slot: the Lua scripts touch several keys at once, which Cluster
/// allows only within a slot. (A single stream lives on one shard anyway.)
/// </summary>
public sealed class RedisKeys(string prefix)
{
    private readonly string _tag = "{" + prefix + "}";

    public const string Group = "signers";

    /// <summary>The job stream (XADD by hosts, XREADGROUP by workers).</summary>
    public RedisKey Stream => _tag + ":jobs";

    /// <summary>Marks a request id as queued, so a repeated request joins the job instead of adding another.</summary>
    public RedisKey Accepted(string id) => _tag + ":accepted:" + id;

    public RedisKey Result(string id) => _tag + ":result:" + id;

    /// <summary>Held by the worker signing a request, so two workers never sign the same request at once.</summary>
    public RedisKey Lock(string id) => _tag + ":lock:" + id;

    /// <summary>Sorted set of worker names scored by their last heartbeat (unix ms).</summary>
    public RedisKey Workers => _tag + ":workers";

    /// <summary>Workers publish a request id here once its result is stored.</summary>
    public RedisChannel Done => RedisChannel.Literal(_tag + ":done");

    /// <summary>Hosts publish here when they queue a job, to wake idle workers.</summary>
    public RedisChannel NewJob => RedisChannel.Literal(_tag + ":new");
}
