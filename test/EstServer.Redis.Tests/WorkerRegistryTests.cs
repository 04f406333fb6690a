using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Redis.Tests;

/// <summary>WorkerHeartbeat writes, WorkerRegistry counts: alive means a heartbeat within three intervals.</summary>
[TestFixture]
public sealed class WorkerRegistryTests : RedisHarnessFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task CountAliveAsync_TwoWorkersHeartbeating_TwoThenOneAfterCleanStop()
    {
        var registry = new WorkerRegistry(Harness.Connection, Harness.Options, TimeProvider.System);
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
        await Eventually.UntilAsync(async () => await Harness.Database.SortedSetLengthAsync(Harness.Keys.Workers) == 1, Patience, "the one heartbeat");
        TimeSpan threeIntervals = 3 * Harness.Options.HeartbeatInterval;

        long justInside = await new WorkerRegistry(Harness.Connection, Harness.Options, new FakeTimeProvider(start + threeIntervals - TimeSpan.FromMilliseconds(1))).CountAliveAsync();
        long pastIt = await new WorkerRegistry(Harness.Connection, Harness.Options, new FakeTimeProvider(start + threeIntervals + TimeSpan.FromMilliseconds(1))).CountAliveAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(justInside, Is.EqualTo(1));
            Assert.That(pastIt, Is.Zero);
        }
    }

    [Test]
    public async Task ExecuteAsync_WorkerSilentForTenIntervals_NameForgotten()
    {
        long longAgo = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)(11 * Harness.Options.HeartbeatInterval.TotalMilliseconds);
        await Harness.Database.SortedSetAddAsync(Harness.Keys.Workers, "long-gone-worker", longAgo);

        using WorkerHeartbeat alive = Heartbeat(TimeProvider.System);
        await alive.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(async () => await Harness.Database.SortedSetScoreAsync(Harness.Keys.Workers, "long-gone-worker") is null, Patience,
            "the dead worker's name is pruned by a live worker's heartbeat");
        long members = await Harness.Database.SortedSetLengthAsync(Harness.Keys.Workers);
        await alive.StopAsync(CancellationToken.None);

        Assert.That(members, Is.EqualTo(1), "only the live worker remains");
    }

    private WorkerHeartbeat Heartbeat(TimeProvider time) =>
        new(Harness.Connection, Harness.Options, new WorkerIdentity(), time, NullLogger<WorkerHeartbeat>.Instance);
}
