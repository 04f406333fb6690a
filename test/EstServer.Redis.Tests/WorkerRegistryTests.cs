using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Redis.Tests;

/// <summary>WorkerHeartbeat writes, WorkerRegistry counts: alive means a heartbeat within three intervals.</summary>
[TestFixture]
public sealed class WorkerRegistryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private RedisServer _server = null!;
    private RedisQueueHarness _harness = null!;

    [OneTimeSetUp]
    public void StartRedis() => _server = LocalRedis.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _server?.Dispose();

    [SetUp]
    public void CreateHarness() => _harness = new RedisQueueHarness(_server);

    [TearDown]
    public async Task DisposeHarness() => await _harness.DisposeAsync();

    [Test]
    public async Task CountAliveAsync_TwoWorkersHeartbeating_TwoThenOneAfterCleanStop()
    {
        var registry = new WorkerRegistry(_harness.Connection, _harness.Options, TimeProvider.System);
        using WorkerHeartbeat first = Heartbeat(TimeProvider.System);
        using WorkerHeartbeat second = Heartbeat(TimeProvider.System);
        long before = await registry.CountAliveAsync();

        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => await registry.CountAliveAsync() == 2, Patience, "both workers counted");
        await second.StopAsync(CancellationToken.None);
        long afterStop = await registry.CountAliveAsync();
        await first.StopAsync(CancellationToken.None);
        long afterBoth = await registry.CountAliveAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Zero);
            Assert.That(afterStop, Is.EqualTo(1), "a stopped worker removes itself at once");
            Assert.That(afterBoth, Is.Zero);
        }
    }

    [Test]
    public async Task CountAliveAsync_WorkerSilentForThreeIntervals_NoLongerCounted()
    {
        // The worker beats once at T and then dies (its clock never moves again); the registry looks later.
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var workerClock = new FakeTimeProvider(start);
        using WorkerHeartbeat crashed = Heartbeat(workerClock);
        await crashed.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => await _harness.Database.SortedSetLengthAsync(_harness.Keys.Workers) == 1, Patience, "the one heartbeat");
        TimeSpan threeIntervals = 3 * _harness.Options.HeartbeatInterval;

        long justInside = await new WorkerRegistry(_harness.Connection, _harness.Options, new FakeTimeProvider(start + threeIntervals - TimeSpan.FromMilliseconds(1))).CountAliveAsync();
        long pastIt = await new WorkerRegistry(_harness.Connection, _harness.Options, new FakeTimeProvider(start + threeIntervals + TimeSpan.FromMilliseconds(1))).CountAliveAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(justInside, Is.EqualTo(1));
            Assert.That(pastIt, Is.Zero);
        }
    }

    [Test]
    public async Task ExecuteAsync_WorkerSilentForTenIntervals_NameForgotten()
    {
        long longAgo = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)(11 * _harness.Options.HeartbeatInterval.TotalMilliseconds);
        await _harness.Database.SortedSetAddAsync(_harness.Keys.Workers, "long-gone-worker", longAgo);

        using WorkerHeartbeat alive = Heartbeat(TimeProvider.System);
        await alive.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => await _harness.Database.SortedSetScoreAsync(_harness.Keys.Workers, "long-gone-worker") is null, Patience,
            "the dead worker's name is pruned by a live worker's heartbeat");
        long members = await _harness.Database.SortedSetLengthAsync(_harness.Keys.Workers);
        await alive.StopAsync(CancellationToken.None);

        Assert.That(members, Is.EqualTo(1), "only the live worker remains");
    }

    private WorkerHeartbeat Heartbeat(TimeProvider time) =>
        new(_harness.Connection, _harness.Options, new WorkerIdentity(), time, NullLogger<WorkerHeartbeat>.Instance);
}
