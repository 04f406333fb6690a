using EstServer.TestSupport;

namespace EstServer.Redis.Tests.Support;

/// <summary>
/// A real redis-server for the fixture and a fresh <see cref="RedisQueueHarness"/> (its own key prefix)
/// for each test.
/// </summary>
public abstract class RedisHarnessFixture
{
    /// <summary>The fixture's redis-server, for tests that kill or restart it.</summary>
    protected RedisServer Server { get; private set; } = null!;

    protected RedisQueueHarness Harness { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartRedis() => Server = LocalRedis.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => Server?.Dispose();

    [SetUp]
    public void CreateHarness() => Harness = new RedisQueueHarness(Server);

    [TearDown]
    public async Task DisposeHarness() => await Harness.DisposeAsync();
}
