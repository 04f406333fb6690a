using EstServer.Core.Lifecycle;
using EstServer.TestSupport;

namespace EstServer.Store.Tests.Contract;

/// <summary>Search and Get: the admin's reads.</summary>
public abstract partial class CertificateStoreContractTests
{
    [Test]
    public void Search_ByDevice_OnlyThatDeviceNewestFirstWithoutDer()
    {
        CertificateRecord older = Recorded(NewRecord("dev-a"));
        Time.Advance(TimeSpan.FromMinutes(1));
        CertificateRecord newer = Recorded(NewRecord("dev-a"));
        Recorded(NewRecord("dev-b"));

        IReadOnlyList<CertificateRecord> found = Store.Search(new CertificateQuery { DeviceIdentity = "dev-a" }, Time.GetUtcNow());

        Assert.That(found.Select(record => record.Serial), Is.EqualTo(new[] { newer.Serial, older.Serial }));
        AssertSameRecord(found[0], newer, withDer: false);
    }

    [Test]
    public void Search_SubjectContains_CaseInsensitiveSubstringWithWildcardsLiteral()
    {
        CertificateRecord meter = Recorded(NewRecord(subject: "CN=Meter-0042,O=Example"));
        CertificateRecord percent = Recorded(NewRecord(subject: "CN=100%_sure,O=Example"));
        Recorded(NewRecord(subject: "CN=pump-7,O=Example"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Serials(new CertificateQuery { SubjectContains = "mETER-00" }), Is.EqualTo(new[] { meter.Serial }));
            Assert.That(Serials(new CertificateQuery { SubjectContains = "%_" }), Is.EqualTo(new[] { percent.Serial }), "% and _ match themselves");
            Assert.That(Serials(new CertificateQuery { SubjectContains = "o=example" }), Has.Length.EqualTo(3));
        }
    }

    [Test]
    public void Search_ProfileAndStatus_BothApply()
    {
        CertificateRecord goodRouter = Recorded(NewRecord(profile: "router"));
        CertificateRecord revokedRouter = Recorded(NewRecord(profile: "router"));
        Store.Revoke(revokedRouter.Serial, RevocationReason.Unspecified, Time.GetUtcNow(), "admin");
        Recorded(NewRecord(profile: "meter"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Serials(new CertificateQuery { Profile = "router", Status = CertificateStatus.Good }), Is.EqualTo(new[] { goodRouter.Serial }));
            Assert.That(Serials(new CertificateQuery { Profile = "router", Status = CertificateStatus.Revoked }), Is.EqualTo(new[] { revokedRouter.Serial }));
            Assert.That(Serials(new CertificateQuery { Profile = "router" }), Has.Length.EqualTo(2));
        }
    }

    [Test]
    public void Search_ExpiringBefore_GoodOnesExpiringBetweenNowAndThen()
    {
        CertificateRecord soon = Recorded(NewRecord(validity: TimeSpan.FromDays(20)));
        CertificateRecord revokedSoon = Recorded(NewRecord(validity: TimeSpan.FromDays(20)));
        Store.Revoke(revokedSoon.Serial, RevocationReason.Unspecified, Time.GetUtcNow(), "admin");
        Recorded(NewRecord(validity: TimeSpan.FromDays(60)));
        Recorded(NewRecord(validity: TimeSpan.FromDays(2)));
        Time.Advance(TimeSpan.FromDays(5));

        string[] expiring = Serials(new CertificateQuery { ExpiringBefore = Time.GetUtcNow().AddDays(30) });

        Assert.That(expiring, Is.EqualTo(new[] { soon.Serial }), "not the revoked one, not the later one, not the one already expired");
    }

    [Test]
    public void Search_Limit_RespectedAndClampedToMaxLimit()
    {
        CertificateStoreSeeder.Seed(Store, new SeedPlan { Count = CertificateQuery.MaxLimit + 5, Now = Time.GetUtcNow() });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Search(new CertificateQuery { Limit = 7 }, Time.GetUtcNow()), Has.Count.EqualTo(7));
            Assert.That(Store.Search(new CertificateQuery { Limit = int.MaxValue }, Time.GetUtcNow()), Has.Count.EqualTo(CertificateQuery.MaxLimit));
            Assert.That(Store.Search(new CertificateQuery { Limit = 0 }, Time.GetUtcNow()), Is.Empty);
        }
    }

    [Test]
    public void Get_KnownAndUnknown_RecordWithDerOrNull()
    {
        CertificateRecord record = Recorded(NewRecord());

        AssertSameRecord(Store.Get(record.Serial), record);
        Assert.That(Store.Get("0"), Is.Null);
    }

    [Test]
    public void Seed_Rows_DistinctAndSearchableWithoutTouchingTheHotPath()
    {
        byte[] der = [0x30, 0x03, 0x02, 0x01, 0x01];

        SeedResult result = CertificateStoreSeeder.Seed(Store, new SeedPlan { Count = 2_000, Now = Time.GetUtcNow(), Der = der });

        CertificateRecord any = Store.Search(new CertificateQuery { Limit = 1 }, Time.GetUtcNow()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Rows, Is.EqualTo(2_000));
            Assert.That(Count(Store, "SELECT COUNT(DISTINCT serial) FROM certificates"), Is.EqualTo(2_000));
            Assert.That(Count(Store, "SELECT COUNT(DISTINCT device_identity) FROM certificates"), Is.EqualTo(2_000));
            Assert.That(Count(Store, "SELECT COUNT(DISTINCT spki_sha256) FROM key_claims"), Is.EqualTo(2_000));
            Assert.That(Count(Store, "SELECT COUNT(DISTINCT request_id) FROM certificates"), Is.EqualTo(2_000));
            Assert.That(Store.Get(any.Serial)!.Der, Is.EqualTo(der));
            Assert.That(Store.FindIssuedFor(any.RequestId, Time.GetUtcNow())?.Serial, Is.EqualTo(any.Serial));
        }
    }

    private string[] Serials(CertificateQuery query) => Store.Search(query, Time.GetUtcNow()).Select(record => record.Serial).ToArray();
}
