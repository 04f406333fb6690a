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
}
