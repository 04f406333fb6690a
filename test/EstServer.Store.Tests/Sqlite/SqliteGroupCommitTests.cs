using EstServer.Core.Lifecycle;
using EstServer.Store.Sql;
using EstServer.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Store.Tests.Sqlite;

/// <summary>Writers of one process commit in groups: each gets its own outcome, and only after its group is durable.</summary>
public sealed class SqliteGroupCommitTests
{
    [Test]
    public async Task Record_ManyWritersAtOnce_EachRecordedOnceWithItsOwnResult()
    {
        using var directory = new TempDirectory("store");
        using SqlCertificateStore store = CertificateStores.Open(new StoreSettings(directory.Path), TimeProvider.System, NullLoggerFactory.Instance);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        CertificateRecord[] records = Enumerable.Range(0, 200).Select(i => TestCertificateRecord.Create(now, subject: $"CN=group-{i:D3},O=Example")).ToArray();
        // Two of them claim one key for different owners: exactly one may have it, whatever group they share.
        string shared = new('c', 64);
        records[10] = records[10] with { SpkiSha256 = shared };
        records[11] = records[11] with { SpkiSha256 = shared };

        RecordResult[] results = await Task.WhenAll(records.Select(record => Task.Run(() => store.Record(record, TestCertificateRecord.ClaimFor(record)))));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Count(r => r is RecordResult.Recorded), Is.EqualTo(199));
            Assert.That(new[] { results[10], results[11] }.Count(r => r is RecordResult.KeyTaken), Is.EqualTo(1), "the second claim on the shared key is refused");
            Assert.That(store.Search(new CertificateQuery { SubjectContains = "CN=group-", Limit = 1000 }, now), Has.Count.EqualTo(199), "every recorded one is in the store, the refused one is not");
        }

        SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Write_OneFailsInItsGroup_OnlyItIsRolledBack()
    {
        using var directory = new TempDirectory("store");
        using SqlCertificateStore store = CertificateStores.Open(new StoreSettings(directory.Path), TimeProvider.System, NullLoggerFactory.Instance);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        CertificateRecord[] good = Enumerable.Range(0, 50).Select(i => TestCertificateRecord.Create(now, subject: $"CN=savepoint-{i:D2},O=Example")).ToArray();

        Task<RecordResult>[] writers = good.Select(record => Task.Run(() => store.Record(record, null))).ToArray();
        // A write that inserts, then fails: its insert must not survive, and must not take the others down.
        Task failing = Task.Run(() => store.Database.Write<int>((connection, transaction) =>
        {
            SqlCommands.Execute(connection, transaction, "INSERT INTO audit (at, actor, action, target, detail) VALUES (0, 'test', 'doomed', 'x', '')");
            throw new InvalidOperationException("this write fails after it wrote");
        }));

        RecordResult[] results = await Task.WhenAll(writers);
        Assert.That(async () => await failing, Throws.InvalidOperationException.With.Message.EqualTo("this write fails after it wrote"));
        long doomed = store.Database.Read(connection => (long)SqlCommands.Scalar(connection, null, "SELECT COUNT(*) FROM audit WHERE action = 'doomed'")!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Is.All.InstanceOf<RecordResult.Recorded>());
            Assert.That(doomed, Is.Zero, "the failed write's insert was rolled back");
            Assert.That(store.Search(new CertificateQuery { SubjectContains = "CN=savepoint-", Limit = 1000 }, now), Has.Count.EqualTo(50));
        }

        SqliteConnection.ClearAllPools();
    }

    [Test]
    public async Task Write_WaiterTimesOutBehindASlowLeader_StillCommitsAndTheNextWriteLeads()
    {
        using var directory = new TempDirectory("store");
        var settings = new StoreSettings(directory.Path) { BusyTimeout = TimeSpan.FromMilliseconds(100) };
        using SqlCertificateStore store = CertificateStores.Open(settings, TimeProvider.System, NullLoggerFactory.Instance);
        using var leading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // A write that holds the lead (and the group) far past the 200 ms a waiter waits.
        Task slow = Task.Run(() => store.Database.Write((connection, transaction) =>
        {
            leading.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return SqlCommands.Execute(connection, transaction, "INSERT INTO audit (at, actor, action, target, detail) VALUES (0, 'test', 'slow', 'x', '')");
        }));
        leading.Wait(TimeSpan.FromSeconds(30));
        Task waiting = Task.Run(() => store.Database.Write((connection, transaction) =>
            SqlCommands.Execute(connection, transaction, "INSERT INTO audit (at, actor, action, target, detail) VALUES (0, 'test', 'late', 'x', '')")));

        Assert.That(async () => await waiting, Throws.InstanceOf<StoreUnavailableException>(), "the waiter gives up after twice the busy timeout");
        release.Set();
        await slow;
        int after = store.Database.Write((connection, transaction) =>
            SqlCommands.Execute(connection, transaction, "INSERT INTO audit (at, actor, action, target, detail) VALUES (0, 'test', 'after', 'x', '')"));
        long late = store.Database.Read(connection => (long)SqlCommands.Scalar(connection, null, "SELECT COUNT(*) FROM audit WHERE action = 'late'")!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(after, Is.EqualTo(1), "a write after the abandoned one still finds someone to lead");
            Assert.That(late, Is.EqualTo(1), "the abandoned write was committed with a later group (a retry would find it)");
        }

        SqliteConnection.ClearAllPools();
    }
}
