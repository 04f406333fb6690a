using System.Security.Cryptography;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;

namespace EstServer.Redis.Tests.Support;

/// <summary>Signing requests for queue tests: the queue never looks inside, so the bytes only need to be distinct.</summary>
public static class QueueRequests
{
    public static SigningRequest Create(string? id = null, EnrollmentKind kind = EnrollmentKind.Enroll)
    {
        byte[] csr = RandomNumberGenerator.GetBytes(48);
        byte[] client = RandomNumberGenerator.GetBytes(64);
        return new SigningRequest(
            id ?? SigningRequestId.Derive(kind, "queue-test", client, csr),
            "queue-test",
            "v1",
            kind,
            csr,
            client,
            DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    /// <summary>Stands in for a signed certificate: what matters is that each one is different.</summary>
    public static SigningOutcome.Issued Certificate() => new(RandomNumberGenerator.GetBytes(32));
}
