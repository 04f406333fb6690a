using EstServer.Core.Lifecycle;
using EstServer.Store.Tests.Support;

namespace EstServer.Store.Tests.Contract;

/// <summary>Revoke, Block, Unblock and the audit trail: the admin's changes.</summary>
public abstract partial class CertificateStoreContractTests
{
    [Test]
    public void Revoke_UnknownSerial_NotFoundAndNoAudit()
    {
        RevokeResult result = Store.Revoke("deadbeef", RevocationReason.KeyCompromise, Time.GetUtcNow(), "admin");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.InstanceOf<RevokeResult.NotFound>());
            Assert.That(Store.AuditTrail(10), Is.Empty);
        }
    }

    [Test]
    public void Revoke_Good_RevokedWithRevisionAndAuditRow()
    {
        CertificateRecord record = Recorded(NewRecord());
        DateTimeOffset at = Time.GetUtcNow().AddMinutes(3);

        RevokeResult result = Store.Revoke(record.Serial, RevocationReason.KeyCompromise, at, "alice");

        CertificateRecord revoked = record with { Status = CertificateStatus.Revoked, RevokedAt = at, RevocationReason = RevocationReason.KeyCompromise };
        Assert.That(result, Is.InstanceOf<RevokeResult.Revoked>());
        Assert.That(((RevokeResult.Revoked)result).WasAlreadyRevoked, Is.False);
        AssertSameRecord(((RevokeResult.Revoked)result).Record, revoked);
        AssertSameRecord(Store.Get(record.Serial), revoked);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.RevocationRevision(record.IssuerKeyId), Is.GreaterThan(0));
            Assert.That(Store.AuditTrail(10), Is.EqualTo(new[] { new AuditEntry(at, "alice", "revoke", record.Serial, "keyCompromise") }));
        }
    }

    [Test]
    public void Revoke_Twice_KeepsTheFirstTimeAndReasonAndAuditsBoth()
    {
        CertificateRecord record = Recorded(NewRecord());
        DateTimeOffset first = Time.GetUtcNow();
        Store.Revoke(record.Serial, RevocationReason.Superseded, first, "alice");
        long revision = Store.RevocationRevision(record.IssuerKeyId);

        RevokeResult again = Store.Revoke(record.Serial, RevocationReason.KeyCompromise, first.AddHours(1), "bob");

        Assert.That(again, Is.InstanceOf<RevokeResult.Revoked>());
        var revoked = (RevokeResult.Revoked)again;
        IReadOnlyList<AuditEntry> trail = Store.AuditTrail(10);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoked.WasAlreadyRevoked, Is.True);
            Assert.That(revoked.Record.RevokedAt, Is.EqualTo(first));
            Assert.That(revoked.Record.RevocationReason, Is.EqualTo(RevocationReason.Superseded));
            Assert.That(Store.Revoked(record.IssuerKeyId, Time.GetUtcNow()), Is.EqualTo(new[] { new RevokedEntry(record.Serial, first, RevocationReason.Superseded) }));
            Assert.That(Store.RevocationRevision(record.IssuerKeyId), Is.EqualTo(revision), "no second revocation row");
            Assert.That(trail.Select(entry => (entry.Actor, entry.Action)), Is.EqualTo(new[] { ("bob", "revoke"), ("alice", "revoke") }));
            Assert.That(trail[0].Detail, Does.Contain("already revoked"));
        }
    }

    [Test]
    public void Revoke_SameSerialConcurrently_OneRevocation()
    {
        CertificateRecord record = Recorded(NewRecord());
        SqlCertificateStore other = Open();

        RevokeResult[] results = Concurrently.Run(6, i => (i % 2 == 0 ? Store : other).Revoke(record.Serial, RevocationReason.KeyCompromise, Time.GetUtcNow(), $"admin-{i}"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.OfType<RevokeResult.Revoked>().Count(result => !result.WasAlreadyRevoked), Is.EqualTo(1));
            Assert.That(Count(Store, "SELECT COUNT(*) FROM revocations"), Is.EqualTo(1));
            Assert.That(Store.AuditTrail(100), Has.Count.EqualTo(6));
        }
    }

    [Test]
    public void Block_DeviceWithCertificates_RevokesItsGoodOnesOnceWithOneAuditRow()
    {
        string device = "dev-stolen";
        CertificateRecord good1 = Recorded(NewRecord(device));
        CertificateRecord good2 = Recorded(NewRecord(device, issuerKeyId: "0ther1ssuer"));
        CertificateRecord earlier = Recorded(NewRecord(device));
        Store.Revoke(earlier.Serial, RevocationReason.Superseded, Time.GetUtcNow(), "admin");
        CertificateRecord bystander = Recorded(NewRecord());
        long revisions = Count(Store, "SELECT COUNT(*) FROM revocations");
        DateTimeOffset at = Time.GetUtcNow().AddMinutes(1);

        DeviceBlock block = Store.Block(device, "reported stolen", RevocationReason.KeyCompromise, at, "alice");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.DeviceIdentity, Is.EqualTo(device));
            Assert.That(block.BlockedAt, Is.EqualTo(at));
            Assert.That(block.Reason, Is.EqualTo("reported stolen"));
            Assert.That(block.RevokedSerials, Is.EquivalentTo(new[] { good1.Serial, good2.Serial }));
            Assert.That(Store.Get(good1.Serial)!.RevocationReason, Is.EqualTo(RevocationReason.KeyCompromise));
            Assert.That(Store.Get(earlier.Serial)!.RevocationReason, Is.EqualTo(RevocationReason.Superseded), "an earlier revocation stays as it was");
            Assert.That(Store.Get(bystander.Serial)!.Status, Is.EqualTo(CertificateStatus.Good), "other devices are untouched");
            Assert.That(Count(Store, "SELECT COUNT(*) FROM revocations"), Is.EqualTo(revisions + 2));
            Assert.That(Store.AuditTrail(1).Single(), Is.EqualTo(new AuditEntry(at, "alice", "block", device, $"reported stolen; revoked 2 (keyCompromise): {string.Join(", ", block.RevokedSerials)}")));
        }
    }

    [Test]
    public void Block_Twice_KeepsTheFirstBlockAndRevokesOnlyWhatIsNew()
    {
        string device = "dev-twice";
        DateTimeOffset first = Time.GetUtcNow();
        Store.Block(device, "lost", RevocationReason.CessationOfOperation, first, "alice");

        DeviceBlock again = Store.Block(device, "stolen", RevocationReason.KeyCompromise, first.AddDays(1), "bob");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.BlockedAt, Is.EqualTo(first));
            Assert.That(again.Reason, Is.EqualTo("lost"));
            Assert.That(again.RevokedSerials, Is.Empty);
            Assert.That(Count(Store, "SELECT COUNT(*) FROM blocked_devices"), Is.EqualTo(1));
            Assert.That(Store.AuditTrail(10), Has.Count.EqualTo(2), "each call is audited");
        }
    }

    [Test]
    public void Unblock_NotBlocked_FalseAndNoAudit()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Unblock("dev-free", Time.GetUtcNow(), "alice"), Is.False);
            Assert.That(Store.AuditTrail(10), Is.Empty);
        }
    }

    [Test]
    public void Unblock_Blocked_RevokedCertificatesStayRevokedAndDeviceMayEnrollAgain()
    {
        CertificateRecord record = Recorded(NewRecord());
        Store.Block(record.DeviceIdentity, "lost", RevocationReason.CessationOfOperation, Time.GetUtcNow(), "alice");

        bool lifted = Store.Unblock(record.DeviceIdentity, Time.GetUtcNow(), "bob");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lifted, Is.True);
            Assert.That(Store.Get(record.Serial)!.Status, Is.EqualTo(CertificateStatus.Revoked));
            Assert.That(Store.AuditTrail(1).Single().Action, Is.EqualTo("unblock"));
            Assert.That(Store.Record(NewRecord(record.DeviceIdentity), null), Is.InstanceOf<RecordResult.Recorded>());
        }
    }

    [Test]
    public void AuditTrail_Limit_NewestFirst()
    {
        for (int i = 0; i < 5; i++)
        {
            Store.Block($"dev-{i}", "r", RevocationReason.Unspecified, Time.GetUtcNow().AddSeconds(i), "admin");
        }

        IReadOnlyList<AuditEntry> trail = Store.AuditTrail(3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(trail.Select(entry => entry.Target), Is.EqualTo(new[] { "dev-4", "dev-3", "dev-2" }));
            Assert.That(Store.AuditTrail(0), Is.Empty);
        }
    }
}
