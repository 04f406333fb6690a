using EstServer.Core.Lifecycle;
using EstServer.Store.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Store.Tests.Contract;

/// <summary>Record, FindIssuedFor, FindState and IsBlocked: the signer's and host's view.</summary>
public abstract partial class CertificateStoreContractTests
{
    [Test]
    public void Record_NewCertificate_RecordedAndReadBackField_ForField()
    {
        CertificateRecord record = NewRecord() with { Kind = IssuanceKinds.Reenroll, RenewsSerial = "abc123", IssuedAt = Start.AddTicks(12_345) };

        RecordResult result = Store.Record(record, TestCertificateRecord.ClaimFor(record));

        Assert.That(result, Is.InstanceOf<RecordResult.Recorded>());
        AssertSameRecord(Store.FindIssuedFor(record.RequestId, Time.GetUtcNow()), record);
        AssertSameRecord(Store.Get(record.Serial), record);
    }

    [Test]
    public void Record_SameRequestWhileLive_AlreadyIssuedAndNothingWritten()
    {
        CertificateRecord first = Recorded(NewRecord());
        CertificateRecord second = NewRecord(first.DeviceIdentity, first.RequestId);

        RecordResult result = Store.Record(second, TestCertificateRecord.ClaimFor(second));

        Assert.That(result, Is.InstanceOf<RecordResult.AlreadyIssued>());
        AssertSameRecord(((RecordResult.AlreadyIssued)result).Existing, first);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Get(second.Serial), Is.Null, "the second certificate was not stored");
            Assert.That(Count(Store, "SELECT COUNT(*) FROM key_claims"), Is.Zero, "nor its claim");
        }
    }

    [Test]
    public void Record_SameRequestAfterRevoked_RecordsTheNewOne()
    {
        CertificateRecord first = Recorded(NewRecord());
        Store.Revoke(first.Serial, RevocationReason.Superseded, Time.GetUtcNow(), "admin");
        CertificateRecord second = NewRecord(first.DeviceIdentity, first.RequestId);

        Recorded(second);

        AssertSameRecord(Store.FindIssuedFor(first.RequestId, Time.GetUtcNow()), second);
    }

    [Test]
    public void Record_SameRequestAfterExpired_RecordsTheNewOne()
    {
        CertificateRecord first = Recorded(NewRecord(validity: TimeSpan.FromHours(1)));
        Time.Advance(TimeSpan.FromHours(2));
        CertificateRecord second = NewRecord(first.DeviceIdentity, first.RequestId);

        Recorded(second);

        AssertSameRecord(Store.FindIssuedFor(first.RequestId, Time.GetUtcNow()), second);
    }

    [Test]
    public void Record_DeviceBlocked_DeviceBlockedAndNothingWritten()
    {
        CertificateRecord record = NewRecord();
        Store.Block(record.DeviceIdentity, "stolen", RevocationReason.KeyCompromise, Time.GetUtcNow(), "admin");

        RecordResult result = Store.Record(record, TestCertificateRecord.ClaimFor(record));

        Assert.That(result, Is.InstanceOf<RecordResult.DeviceBlocked>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Get(record.Serial), Is.Null);
            Assert.That(Store.FindIssuedFor(record.RequestId, Time.GetUtcNow()), Is.Null);
            Assert.That(Count(Store, "SELECT COUNT(*) FROM key_claims"), Is.Zero);
        }
    }

    [Test]
    public void Record_KeyClaimedByOtherOwner_KeyTakenWithOwnerAndNothingWritten()
    {
        CertificateRecord first = NewRecord(subject: "CN=first");
        Recorded(first, TestCertificateRecord.ClaimFor(first));
        CertificateRecord second = NewRecord(spki: first.SpkiSha256, subject: "CN=second");

        RecordResult result = Store.Record(second, TestCertificateRecord.ClaimFor(second));

        Assert.That(result, Is.EqualTo(new RecordResult.KeyTaken("CN=first")));
        Assert.That(Store.Get(second.Serial), Is.Null);
    }

    [Test]
    public void Record_KeyClaimLapsed_AnotherOwnerTakesIt()
    {
        CertificateRecord first = NewRecord(subject: "CN=first", validity: TimeSpan.FromHours(1));
        Recorded(first, TestCertificateRecord.ClaimFor(first));
        Time.Advance(TimeSpan.FromHours(1));
        CertificateRecord second = NewRecord(spki: first.SpkiSha256, subject: "CN=second");

        Recorded(second, TestCertificateRecord.ClaimFor(second));

        CertificateRecord third = NewRecord(spki: first.SpkiSha256, subject: "CN=first");
        Assert.That(Store.Record(third, TestCertificateRecord.ClaimFor(third)), Is.EqualTo(new RecordResult.KeyTaken("CN=second")), "the claim moved to the second owner");
    }

    [Test]
    public void Record_KeyClaimedBySameOwner_RecordedAndClaimKeepsTheLaterUntil()
    {
        CertificateRecord longer = NewRecord(subject: "CN=owner", validity: TimeSpan.FromDays(30));
        Recorded(longer, TestCertificateRecord.ClaimFor(longer));
        CertificateRecord shorter = NewRecord(spki: longer.SpkiSha256, subject: "CN=owner", validity: TimeSpan.FromDays(1));

        Recorded(shorter, TestCertificateRecord.ClaimFor(shorter));

        // Past the shorter claim's end the longer one still holds the key for its owner.
        Time.Advance(TimeSpan.FromDays(2));
        CertificateRecord other = NewRecord(spki: longer.SpkiSha256, subject: "CN=other");
        Assert.That(Store.Record(other, TestCertificateRecord.ClaimFor(other)), Is.EqualTo(new RecordResult.KeyTaken("CN=owner")));
    }

    [Test]
    public void Record_WithoutClaim_RecordedEvenIfTheKeyIsClaimed()
    {
        CertificateRecord first = NewRecord(subject: "CN=first");
        Recorded(first, TestCertificateRecord.ClaimFor(first));

        Recorded(NewRecord(spki: first.SpkiSha256, subject: "CN=second"), claim: null);

        Assert.That(Count(Store, "SELECT COUNT(*) FROM certificates"), Is.EqualTo(2));
    }

    [Test]
    public void Record_SameRequestConcurrentlyFromTwoProcesses_ExactlyOneCertificate()
    {
        SqlCertificateStore other = Open();
        string device = "dev-race", request = "req-race";
        CertificateRecord[] attempts = Enumerable.Range(0, 8).Select(_ => NewRecord(device, request)).ToArray();

        RecordResult[] results = Concurrently.Run(8, i => (i % 2 == 0 ? Store : other).Record(attempts[i], TestCertificateRecord.ClaimFor(attempts[i])));

        Assert.That(results.Count(result => result is RecordResult.Recorded), Is.EqualTo(1), string.Join(", ", results.Select(r => r.GetType().Name)));
        string winner = attempts[Array.FindIndex(results, result => result is RecordResult.Recorded)].Serial;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.OfType<RecordResult.AlreadyIssued>().Select(result => result.Existing.Serial), Is.EqualTo(Enumerable.Repeat(winner, 7)));
            Assert.That(Count(Store, "SELECT COUNT(*) FROM certificates"), Is.EqualTo(1));
            Assert.That(Store.FindIssuedFor(request, Time.GetUtcNow())?.Serial, Is.EqualTo(winner));
        }
    }

    [Test]
    public void Record_OneKeyClaimedByManyOwnersConcurrently_ExactlyOneWins()
    {
        SqlCertificateStore other = Open();
        string spki = new('e', 64);
        CertificateRecord[] attempts = Enumerable.Range(0, 8).Select(i => NewRecord(spki: spki, subject: $"CN=owner-{i}")).ToArray();

        RecordResult[] results = Concurrently.Run(8, i => (i % 2 == 0 ? Store : other).Record(attempts[i], TestCertificateRecord.ClaimFor(attempts[i])));

        Assert.That(results.Count(result => result is RecordResult.Recorded), Is.EqualTo(1), string.Join(", ", results.Select(r => r.GetType().Name)));
        string winner = attempts[Array.FindIndex(results, result => result is RecordResult.Recorded)].Subject;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.OfType<RecordResult.KeyTaken>().Select(result => result.Owner), Is.EqualTo(Enumerable.Repeat(winner, 7)));
            Assert.That(Count(Store, "SELECT COUNT(*) FROM certificates"), Is.EqualTo(1));
        }
    }

    [Test]
    public void Record_RacingABlockOfItsDevice_NoGoodCertificateOutlivesTheBlock()
    {
        SqlCertificateStore other = Open();
        string device = "dev-blocked-race";
        CertificateRecord[] attempts = Enumerable.Range(0, 7).Select(_ => NewRecord(device)).ToArray();

        Concurrently.Run(8, i => i == 7
            ? other.Block(device, "stolen", RevocationReason.KeyCompromise, Time.GetUtcNow(), "admin")
            : (object)Store.Record(attempts[i], null));

        IReadOnlyList<CertificateRecord> left = Store.Search(new CertificateQuery { DeviceIdentity = device, Status = CertificateStatus.Good }, Time.GetUtcNow());
        Assert.That(left.Select(record => record.Serial), Is.Empty, "a certificate recorded for the device stayed good after its block");
    }

    [Test]
    public void FindIssuedFor_UnknownRequest_Null() =>
        Assert.That(Store.FindIssuedFor("req-never", Time.GetUtcNow()), Is.Null);

    [Test]
    public void FindIssuedFor_RevokedOrExpired_Null()
    {
        CertificateRecord revoked = Recorded(NewRecord());
        Store.Revoke(revoked.Serial, RevocationReason.Unspecified, Time.GetUtcNow(), "admin");
        CertificateRecord expiring = Recorded(NewRecord(validity: TimeSpan.FromMinutes(1)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.FindIssuedFor(revoked.RequestId, Time.GetUtcNow()), Is.Null, "revoked");
            Assert.That(Store.FindIssuedFor(expiring.RequestId, Time.GetUtcNow()), Is.Not.Null, "live");
            Assert.That(Store.FindIssuedFor(expiring.RequestId, expiring.NotAfter), Is.Null, "expired at notAfter");
        }
    }

    [Test]
    public void FindState_Recorded_GoodWithDeviceAndNotAfter()
    {
        CertificateRecord record = Recorded(NewRecord());

        CertificateState? state = Store.FindState(record.IssuerKeyId, record.Serial);

        Assert.That(state, Is.EqualTo(new CertificateState(record.Serial, CertificateStatus.Good, null, null, record.DeviceIdentity, false, Millis(record.NotAfter))));
    }

    [Test]
    public void FindState_UnknownSerialOrOtherIssuer_Null()
    {
        CertificateRecord record = Recorded(NewRecord());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.FindState(record.IssuerKeyId, "deadbeef"), Is.Null);
            Assert.That(Store.FindState("0000", record.Serial), Is.Null);
        }
    }

    [Test]
    public void FindState_RevokedAndDeviceBlocked_SaysSo()
    {
        CertificateRecord record = Recorded(NewRecord());
        DateTimeOffset at = Time.GetUtcNow().AddMinutes(1);
        Store.Revoke(record.Serial, RevocationReason.KeyCompromise, at, "admin");
        Store.Block(record.DeviceIdentity, "stolen", RevocationReason.KeyCompromise, at, "admin");

        CertificateState? state = Store.FindState(record.IssuerKeyId, record.Serial);

        Assert.That(state, Is.EqualTo(new CertificateState(record.Serial, CertificateStatus.Revoked, at, RevocationReason.KeyCompromise, record.DeviceIdentity, true, Millis(record.NotAfter))));
    }

    [Test]
    public void IsBlocked_BlockThenUnblock_TrueThenFalse()
    {
        bool before = Store.IsBlocked("dev-x");
        Store.Block("dev-x", "lost", RevocationReason.CessationOfOperation, Time.GetUtcNow(), "admin");
        bool blocked = Store.IsBlocked("dev-x");
        bool lifted = Store.Unblock("dev-x", Time.GetUtcNow(), "admin");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.False);
            Assert.That(blocked, Is.True);
            Assert.That(lifted, Is.True);
            Assert.That(Store.IsBlocked("dev-x"), Is.False);
        }
    }
}
