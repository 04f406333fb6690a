using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>The host's own crash: kill -9 with requests in flight, then a new host on the same address.</summary>
public sealed partial class RedisScaleOutTests
{
    [Test]
    public async Task SimpleEnroll_HostKilledMidBurst_DevicesRetryAndEachGetsOneRecordedCertificate()
    {
        using var burst = EnrollmentBurst.Create(Cluster, "hostcrash", devices: 10, requestsPerDevice: 10, retryConnectionFailures: true);
        using var deadline = new CancellationTokenSource(Deadline);
        Task run = burst.RunAsync(concurrency: 12, deadline.Token);
        await burst.WaitForCompletedAsync(10, Deadline);

        // Requests the dead host had queued are signed by the workers meanwhile; the new host must hand
        // those certificates out when the devices ask again, not sign a second one.
        int completedBeforeCrash = burst.Completed;
        await Cluster.KillHostAndRestartAsync();

        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the burst did not complete through the new host at {Cluster.BaseAddress}; answers: {Histogram(burst)}; last connection failures: {string.Join(" | ", burst.Enrollments.Select(e => e.LastConnectionFailure).Distinct())}\n{Cluster.Describe()}");
        }
        X509Certificate2[] repeated = await Task.WhenAll(burst.Enrollments.Select(e => e.RepeatAsync(deadline.Token)));
        string[] serials = burst.Enrollments.Select(e => ScaleOutCluster.NormalizeSerial(e.Certificate!.SerialNumber)).ToArray();
        await TestContext.Progress.WriteLineAsync(
            $"scale-out: host killed after {completedBeforeCrash} of 100; answers seen (0 = connection failed): {Histogram(burst)}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completedBeforeCrash, Is.LessThan(burst.Enrollments.Count), "the host died with work in flight");
            Assert.That(burst.Enrollments.Select(e => e.Statuses.Last()), Is.All.EqualTo(HttpStatusCode.OK), "every enrollment completed through the new host");
            Assert.That(serials, Is.Unique);
            Assert.That(repeated.Select(c => ScaleOutCluster.NormalizeSerial(c.SerialNumber)), Is.EqualTo(serials), "nothing issued twice, nothing lost");
            ScaleOutStore.AssertEachRecordedOnce(Cluster, burst, "hostcrash");
        }

        foreach (X509Certificate2 certificate in repeated)
        {
            certificate.Dispose();
        }
    }
}
