using EstServer.Core.Lifecycle;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>What the shared certificate store holds after a burst: every certificate a device received, recorded once, under its request.</summary>
public static class ScaleOutStore
{
    /// <summary>
    /// Fails unless each enrollment of the burst (named by <paramref name="name"/>, the prefix of its
    /// CSR subjects) has exactly one record, and that record is the certificate the device holds.
    /// </summary>
    public static void AssertEachRecordedOnce(ScaleOutCluster cluster, EnrollmentBurst burst, string name)
    {
        using TestStore store = TestStore.Postgres(cluster.DatabaseConnectionString);
        IReadOnlyList<CertificateRecord> records = store.Store.Search(
            new CertificateQuery { SubjectContains = $"CN={name}-", Limit = CertificateQuery.MaxLimit }, DateTimeOffset.UtcNow);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Has.Count.EqualTo(burst.Enrollments.Count), "one record per request, no more");
            foreach (DeviceEnrollment enrollment in burst.Enrollments)
            {
                string serial = ScaleOutCluster.NormalizeSerial(enrollment.Certificate!.SerialNumber);
                CertificateRecord? record = records.SingleOrDefault(r => r.Serial == serial);
                Assert.That(record, Is.Not.Null, $"the certificate of {enrollment.RequestId} (serial {serial}) is in the store");
                Assert.That(record?.RequestId, Is.EqualTo(enrollment.RequestId), $"serial {serial} is recorded under its request");
            }
        }
    }
}
