using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Revocation;

public class CrlCacheTests
{
    private const string KeyId = TestCertificateRecord.IssuerKeyId;

    private FakeTimeProvider _time = null!;
    private TestStore _store = null!;
    private SwitchableStore _switchable = null!;
    private CrlCache _cache = null!;

    [SetUp]
    public void CreateStore()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _store = TestStore.Sqlite(_time);
        _switchable = new SwitchableStore(_store.Store);
        _cache = new CrlCache(_switchable, _time, TimeSpan.FromSeconds(1));
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [Test]
    public void Current_NoCrlPublished_ReturnsNull()
    {
        Assert.That(_cache.Current(KeyId), Is.Null);
    }

    [Test]
    public void Current_NewerCrlWithinRefresh_StillTheOldOne()
    {
        Publish(1);
        _cache.Current(KeyId);
        Publish(2);
        _time.Advance(TimeSpan.FromMilliseconds(900));

        Assert.That(_cache.Current(KeyId)?.Number, Is.EqualTo(1));
    }

    [Test]
    public void Current_NewerCrlAfterRefresh_TheNewOne()
    {
        Publish(1);
        _cache.Current(KeyId);
        Publish(2);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(_cache.Current(KeyId)?.Number, Is.EqualTo(2));
    }

    [Test]
    public void Current_StoreDown_ServesTheLastCrl()
    {
        Publish(1);
        _cache.Current(KeyId);
        _switchable.Reachable = false;
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.That(_cache.Current(KeyId)?.Number, Is.EqualTo(1));
    }

    [Test]
    public void Current_StoreDownAndNeverRead_Throws()
    {
        Publish(1);
        _switchable.Reachable = false;

        Assert.That(() => _cache.Current(KeyId), Throws.InstanceOf<StoreUnavailableException>());
    }

    [Test]
    public void Current_StoreBackAfterOutage_ReadsAgain()
    {
        Publish(1);
        _cache.Current(KeyId);
        _switchable.Reachable = false;
        _time.Advance(TimeSpan.FromSeconds(2));
        _cache.Current(KeyId);
        _switchable.Reachable = true;
        Publish(2);
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.That(_cache.Current(KeyId)?.Number, Is.EqualTo(2));
    }

    private void Publish(long number)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Assert.That(_store.Store.TryPublishCrl(new PublishedCrl(KeyId, number, number, now, now.AddHours(1), [0x30, (byte)number])), Is.True);
    }
}
