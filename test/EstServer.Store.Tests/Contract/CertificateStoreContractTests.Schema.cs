using EstServer.Core.Lifecycle;
using EstServer.Store.Tests.Support;

namespace EstServer.Store.Tests.Contract;

/// <summary>Opening: migrations (idempotent, safe when started together), persistence, and the database going away.</summary>
public abstract partial class CertificateStoreContractTests
{
    [Test]
    public void Open_Twice_SameVersionAndEachMigrationAppliedOnce()
    {
        SqlCertificateStore again = Open();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.SchemaVersion, Is.EqualTo(Store.SchemaVersion));
            Assert.That(Count(again, "SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(again.SchemaVersion));
        }
    }

    [Test]
    public void Open_ManyAtOnceOnAFreshDatabase_AllSucceedAndMigrateOnce()
    {
        StoreSettings fresh = CreateSettings();

        SqlCertificateStore[] stores = Concurrently.Run(6, _ => Open(fresh));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stores.Select(store => store.SchemaVersion), Is.All.EqualTo(Store.SchemaVersion));
            Assert.That(Count(stores[0], "SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Store.SchemaVersion));
            Assert.That(stores[0].Record(NewRecord(), null), Is.InstanceOf<RecordResult.Recorded>());
        }
    }

    [Test]
    public void Open_AfterDispose_EverythingIsStillThere()
    {
        CertificateRecord record = Recorded(NewRecord());
        Store.Block("dev-gone", "lost", RevocationReason.Unspecified, Time.GetUtcNow(), "admin");
        Store.TryPublishCrl(new PublishedCrl(record.IssuerKeyId, 1, 0, Time.GetUtcNow(), Time.GetUtcNow().AddDays(1), [1]));
        Store.Dispose();

        SqlCertificateStore reopened = Open();

        using (Assert.EnterMultipleScope())
        {
            AssertSameRecord(reopened.Get(record.Serial), record);
            Assert.That(reopened.IsBlocked("dev-gone"), Is.True);
            Assert.That(reopened.LatestCrl(record.IssuerKeyId)?.Number, Is.EqualTo(1));
            Assert.That(reopened.AuditTrail(10), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void Operations_DatabaseUnavailable_ThrowStoreUnavailableWithoutSecrets()
    {
        CertificateRecord record = NewRecord();
        StoreUnavailableException? recording, reading;
        using (MakeUnavailable())
        {
            recording = Assert.Throws<StoreUnavailableException>(() => Store.Record(record, null));
            reading = Assert.Throws<StoreUnavailableException>(() => Store.Revoke(record.Serial, RevocationReason.Unspecified, Time.GetUtcNow(), "admin"));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recording!.Message, Does.Contain(ExpectedEngine));
            Assert.That(recording.Message + reading!.Message, Does.Not.Contain("Password").IgnoreCase.And.Not.Contain(SecretMarker));
        }

        // Once the database is back, so is the store (the first call may still find a dead pooled connection).
        Assert.That(RecordEventually(record), Is.InstanceOf<RecordResult.Recorded>());
    }

    /// <summary>A string the engine's connection string carries as its password, to show it never leaks.</summary>
    protected virtual string SecretMarker => "s3cr3t-passw0rd";

    private RecordResult RecordEventually(CertificateRecord record)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return Store.Record(record, null);
            }
            catch (StoreUnavailableException) when (attempt < 3)
            {
                Thread.Sleep(200);
            }
        }
    }
}
