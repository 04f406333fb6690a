using EstServer.Core.Lifecycle;
using EstServer.Store.Tests.Support;

namespace EstServer.Store.Tests.Contract;

/// <summary>Revoked, RevocationRevision, LatestCrl and TryPublishCrl: CRL publishing's view.</summary>
public abstract partial class CertificateStoreContractTests
{
    private const string OtherIssuer = "99887766";

    [Test]
    public void Revoked_IssuerWithRevocations_ListsOnlyItsUnexpiredRevokedOnes()
    {
        CertificateRecord revoked = Recorded(NewRecord(validity: TimeSpan.FromDays(30)));
        CertificateRecord expires = Recorded(NewRecord(validity: TimeSpan.FromDays(1)));
        CertificateRecord otherIssuer = Recorded(NewRecord(issuerKeyId: OtherIssuer));
        Recorded(NewRecord());
        DateTimeOffset at = Time.GetUtcNow();
        foreach (CertificateRecord record in new[] { revoked, expires, otherIssuer })
        {
            Store.Revoke(record.Serial, RevocationReason.KeyCompromise, at, "admin");
        }

        Time.Advance(TimeSpan.FromDays(2));
        IReadOnlyList<RevokedEntry> entries = Store.Revoked(revoked.IssuerKeyId, Time.GetUtcNow());

        Assert.That(entries, Is.EqualTo(new[] { new RevokedEntry(revoked.Serial, at, RevocationReason.KeyCompromise) }));
    }

    [Test]
    public void RevocationRevision_EachRevocation_GrowsForItsIssuerOnly()
    {
        long before = Store.RevocationRevision(TestSupport.TestCertificateRecord.IssuerKeyId);
        CertificateRecord first = Recorded(NewRecord());
        CertificateRecord second = Recorded(NewRecord());
        Store.Revoke(first.Serial, RevocationReason.Unspecified, Time.GetUtcNow(), "admin");
        long once = Store.RevocationRevision(first.IssuerKeyId);
        Store.Revoke(second.Serial, RevocationReason.Unspecified, Time.GetUtcNow(), "admin");
        long twice = Store.RevocationRevision(first.IssuerKeyId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Zero);
            Assert.That(once, Is.GreaterThan(before));
            Assert.That(twice, Is.GreaterThan(once));
            Assert.That(Store.RevocationRevision(OtherIssuer), Is.Zero);
        }
    }

    [Test]
    public void TryPublishCrl_DuplicateNumber_FalseAndTheFirstStays()
    {
        PublishedCrl first = Crl(1, [1, 2, 3]);
        PublishedCrl second = Crl(2, [4, 5]);
        bool published = Store.TryPublishCrl(first);
        bool next = Store.TryPublishCrl(second);

        bool duplicate = Store.TryPublishCrl(Crl(2, [9, 9, 9]));

        PublishedCrl? latest = Store.LatestCrl(first.IssuerKeyId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((published, next, duplicate), Is.EqualTo((true, true, false)));
            Assert.That(latest! with { Der = [] }, Is.EqualTo(second with { Der = [] }));
            Assert.That(latest.Der, Is.EqualTo(second.Der));
            Assert.That(Store.LatestCrl(OtherIssuer), Is.Null);
        }
    }

    [Test]
    public void TryPublishCrl_SameNumberConcurrently_ExactlyOneWins()
    {
        SqlCertificateStore other = Open();

        bool[] results = Concurrently.Run(8, i => (i % 2 == 0 ? Store : other).TryPublishCrl(Crl(7, [(byte)i])));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Count(won => won), Is.EqualTo(1));
            Assert.That(Store.LatestCrl(TestSupport.TestCertificateRecord.IssuerKeyId)!.Der, Is.EqualTo(new[] { (byte)Array.IndexOf(results, true) }));
        }
    }

    private PublishedCrl Crl(long number, byte[] der) =>
        new(TestSupport.TestCertificateRecord.IssuerKeyId, number, number * 10, Time.GetUtcNow(), Time.GetUtcNow().AddDays(1), der);
}
