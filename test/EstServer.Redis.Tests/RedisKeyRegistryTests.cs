using System.Net;
using System.Net.Sockets;
using EstServer.Core.Pipeline;
using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Redis.Tests;

[TestFixture]
public sealed class RedisKeyRegistryTests : RedisHarnessFixture
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(400);

    [Test]
    public void Claim_NewKeyThenSameOwnerThenAnother_FirstOwnerKeepsIt()
    {
        var registry = new RedisKeyRegistry(Harness.Connection);

        string? first = registry.Claim("key-a", "CN=device-1", Lifetime);
        string? renewal = registry.Claim("key-a", "CN=device-1", Lifetime);
        string? clone = registry.Claim("key-a", "CN=device-2", Lifetime);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.Null);
            Assert.That(renewal, Is.Null, "the same identity renewing with its key");
            Assert.That(clone, Is.EqualTo("CN=device-1"), "a second identity with the same key");
        }
    }

    [Test]
    public void Claim_RedisUnreachable_ThrowsDeferredSoTheJobIsRedeliveredNotRefused()
    {
        var options = Harness.Options with { Configuration = $"127.0.0.1:{ClosedPort()}", OperationTimeout = TimeSpan.FromMilliseconds(300) };
        using var unreachable = new RedisConnection(options, "test-unreachable");
        var registry = new RedisKeyRegistry(unreachable);

        var deferred = Assert.Throws<SigningDeferredException>(() => registry.Claim("key-b", "CN=device-3", Lifetime));

        Assert.That(deferred!.Message, Does.Contain("key registry is unreachable"));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
