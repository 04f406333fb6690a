using System.Security.Cryptography;

namespace EstServer.Redis;

/// <summary>A signer worker's name in the consumer group and the heartbeat set: host, process, and a random suffix.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
