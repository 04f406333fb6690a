using EstServer.Core.Lifecycle;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Lifecycle;

/// <summary>The in-memory copy of the blocked identities: fresh within a second of a change, one store read per second at most.</summary>
public sealed class BlockedIdentitiesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private TestStore _store = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void CreateStore()
    {
        _store = TestStore.Sqlite();
        _time = new FakeTimeProvider(Now);
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [Test]
    public void Contains_BlockedAfterFirstLook_SeenOnceTheIntervalPassed()
    {
        var blocked = new BlockedIdentities(_store.Store, _time);
        Assert.That(blocked.Contains("dev-a"), Is.False);

        _store.Store.Block("dev-a", "stolen", RevocationReason.KeyCompromise, Now, "test");
        bool withinInterval = blocked.Contains("dev-a");
        _time.Advance(BlockedIdentities.RecheckInterval);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withinInterval, Is.False, "the copy is not asked to be fresher than its interval");
            Assert.That(blocked.Contains("dev-a"), Is.True);
            Assert.That(blocked.Contains("dev-b"), Is.False);
        }
    }

    [Test]
    public void Contains_Unblocked_NoLongerContainedAfterTheInterval()
    {
        _store.Store.Block("dev-a", "lost", RevocationReason.Unspecified, Now, "test");
        var blocked = new BlockedIdentities(_store.Store, _time);
        Assert.That(blocked.Contains("dev-a"), Is.True);

        _store.Store.Unblock("dev-a", Now, "test");
        _time.Advance(BlockedIdentities.RecheckInterval);

        Assert.That(blocked.Contains("dev-a"), Is.False);
    }

    [Test]
    public void Contains_ManyCallsWithinTheInterval_AskTheStoreOnce()
    {
        var switchable = new SwitchableStore(_store.Store);
        var blocked = new BlockedIdentities(switchable, _time);
        blocked.Contains("dev-a");
        switchable.Reachable = false;

        // Unreachable now: only a call that has to ask the store can notice.
        Assert.That(() => Enumerable.Range(0, 100).Select(_ => blocked.Contains("dev-a")).ToList(), Throws.Nothing);
        _time.Advance(BlockedIdentities.RecheckInterval);
        Assert.That(() => blocked.Contains("dev-a"), Throws.InstanceOf<StoreUnavailableException>());
    }
}
