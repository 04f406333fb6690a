using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Tests.Revocation;

/// <summary>The publisher against the real SQLite store.</summary>
public class CrlPublisherTests
{
    private TestCaHierarchy _pki = null!;
    private FakeTimeProvider _time = null!;
    private TestStore _store = null!;
    private RecordingLogger<CrlPublisher> _logger = null!;

    [OneTimeSetUp]
    public void CreateCa() => _pki = TestCaHierarchy.Create(name: "Publisher");

    [OneTimeTearDown]
    public void DisposeCa() => _pki.Dispose();

    [SetUp]
    public void CreateStore()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _store = TestStore.Sqlite(_time);
        _logger = new RecordingLogger<CrlPublisher>();
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [Test]
    public void PublishIfDue_NoCrlYet_PublishesNumberOneAndLogsIt()
    {
        PublishedCrl? crl = Publisher().PublishIfDue();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(crl?.Number, Is.EqualTo(1));
            Assert.That(_store.Store.LatestCrl(_pki.Ca.KeyIdHex)?.Der, Is.EqualTo(crl?.Der));
            Assert.That(crl!.NextUpdate - crl.ThisUpdate, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(_logger.Entries.Any(e => e.Level == LogLevel.Information && e.Message.Contains(_pki.Ca.KeyIdHex) && e.Message.Contains("CRL 1")), Is.True);
        }
    }

    [Test]
    public void PublishIfDue_NothingChanged_PublishesNothing()
    {
        CrlPublisher publisher = Publisher();
        publisher.PublishIfDue();
        _time.Advance(TimeSpan.FromHours(1));

        Assert.That(publisher.PublishIfDue(), Is.Null);
    }

    [Test]
    public void PublishIfDue_NewRevocation_PublishesTheNextNumberListingIt()
    {
        CrlPublisher publisher = Publisher();
        publisher.PublishIfDue();
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=to-revoke", _time.GetUtcNow());
        _store.Store.Revoke(issued.SerialHex, RevocationReason.KeyCompromise, _time.GetUtcNow(), "test");

        PublishedCrl? crl = publisher.PublishIfDue();

        var parsed = new X509Crl(crl!.Der);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(crl.Number, Is.EqualTo(2));
            Assert.That(DerInteger.GetInstance(parsed.GetExtensionParsedValue(X509Extensions.CrlNumber)).Value.LongValue, Is.EqualTo(2));
            Assert.That(parsed.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(issued.SerialHex, 16)), Is.Not.Null);
            Assert.That(crl.CoversRevision, Is.EqualTo(_store.Store.RevocationRevision(_pki.Ca.KeyIdHex)));
            Assert.That(publisher.PublishIfDue(), Is.Null, "covered now");
        }
    }

    [Test]
    public void PublishIfDue_NextUpdateWithinRefreshMargin_RepublishesWithoutRevocations()
    {
        CrlPublisher publisher = Publisher();
        publisher.PublishIfDue();
        _time.Advance(TimeSpan.FromHours(11));
        Assert.That(publisher.PublishIfDue(), Is.Null, "13 h left, more than the 12 h margin");

        _time.Advance(TimeSpan.FromHours(2));

        Assert.That(publisher.PublishIfDue()?.Number, Is.EqualTo(2));
    }

    [Test]
    public void PublishIfDue_AnotherPublisherWinsTheNumber_ReturnsTheWinnersCrl()
    {
        CrlPublisher other = Publisher();
        var racing = new RacingList(_store.Store, () => other.PublishIfDue());
        var publisher = new CrlPublisher(racing, new CrlBuilder(_pki.Ca, _pki.Signer), _pki.Ca, new CrlPublisherOptions(), _time, _logger);

        PublishedCrl? crl = publisher.PublishIfDue();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(racing.Lost, Is.True, "the race happened");
            Assert.That(crl?.Number, Is.EqualTo(1));
            Assert.That(crl?.Der, Is.EqualTo(_store.Store.LatestCrl(_pki.Ca.KeyIdHex)!.Der));
        }
    }

    [Test]
    public void PublishIfDue_TwoPublishersRacingWithRevocations_NumbersNeverRepeatAndTheLastCoversAll()
    {
        CrlPublisher first = Publisher();
        CrlPublisher second = Publisher();
        var serials = new List<string>();
        var seen = new System.Collections.Concurrent.ConcurrentBag<(long Number, string Der)>();
        for (int round = 0; round < 10; round++)
        {
            IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, $"CN=race-{round}", _time.GetUtcNow());
            _store.Store.Revoke(issued.SerialHex, RevocationReason.Superseded, _time.GetUtcNow(), "test");
            serials.Add(issued.SerialHex);
            Parallel.Invoke(
                () => Record(seen, first.PublishIfDue()),
                () => Record(seen, second.PublishIfDue()));
        }

        PublishedCrl last = first.PublishIfDue() ?? _store.Store.LatestCrl(_pki.Ca.KeyIdHex)!;
        var parsed = new X509Crl(last.Der);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.GroupBy(s => s.Number).Where(g => g.Select(s => s.Der).Distinct().Count() > 1), Is.Empty, "one CRL per number");
            Assert.That(last.Number, Is.InRange(10, 20));
            Assert.That(serials.Where(s => parsed.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(s, 16)) is null), Is.Empty);
        }
    }

    [Test]
    public async Task ExecuteAsync_StoreDownAtStart_LogsAWarningAndPublishesOnceItIsBack()
    {
        // The first check meets the outage; ExecuteAsync runs on its own task, so a call count is the reliable switch.
        var switchable = new SwitchableStore(_store.Store) { FailNextCalls = 1 };
        using var publisher = new CrlPublisher(switchable, new CrlBuilder(_pki.Ca, _pki.Signer), _pki.Ca, new CrlPublisherOptions(), _time, _logger);

        await publisher.StartAsync(CancellationToken.None);
        for (int i = 0; i < 500 && _store.Store.LatestCrl(_pki.Ca.KeyIdHex) is null; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(10);
        }

        await publisher.StopAsync(CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("test outage")), Is.True);
            Assert.That(_store.Store.LatestCrl(_pki.Ca.KeyIdHex)?.Number, Is.EqualTo(1));
            Assert.That(publisher.ExecuteTask?.IsFaulted, Is.False);
        }
    }

    [Test]
    public void Constructor_RefreshMarginNotShorterThanValidity_Throws()
    {
        var options = new CrlPublisherOptions { Validity = TimeSpan.FromHours(1), RefreshBefore = TimeSpan.FromHours(1) };

        Assert.That(() => new CrlPublisher(_store.Store, new CrlBuilder(_pki.Ca, _pki.Signer), _pki.Ca, options, _time, _logger), Throws.ArgumentException);
    }

    [Test]
    public void Options_ZeroCheckInterval_Throws()
    {
        Assert.That(() => new CrlPublisherOptions { CheckInterval = TimeSpan.Zero }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static void Record(System.Collections.Concurrent.ConcurrentBag<(long, string)> seen, PublishedCrl? crl)
    {
        if (crl is not null)
        {
            seen.Add((crl.Number, Convert.ToBase64String(crl.Der)));
        }
    }

    private CrlPublisher Publisher() =>
        new(_store.Store, new CrlBuilder(_pki.Ca, _pki.Signer), _pki.Ca, new CrlPublisherOptions(), _time, _logger);

    /// <summary>Lets another publisher store its CRL just before this one tries, the race two signers run.</summary>
    private sealed class RacingList(IRevocationList inner, Action rival) : IRevocationList
    {
        public bool Lost { get; private set; }

        public IReadOnlyList<RevokedEntry> Revoked(string issuerKeyId, DateTimeOffset now) => inner.Revoked(issuerKeyId, now);

        public long RevocationRevision(string issuerKeyId) => inner.RevocationRevision(issuerKeyId);

        public PublishedCrl? LatestCrl(string issuerKeyId) => inner.LatestCrl(issuerKeyId);

        public bool TryPublishCrl(PublishedCrl crl)
        {
            rival();
            bool stored = inner.TryPublishCrl(crl);
            Lost = !stored;
            return stored;
        }
    }
}
