using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>The certificate store's own crash: PostgreSQL killed under load and started again.</summary>
public sealed partial class RedisScaleOutTests
{
    [Test]
    public async Task SimpleEnroll_DatabaseKilledMidBurst_503ThenAllIssuedOnceAndRecorded()
    {
        ServerProcess[] workers = [.. Cluster.LiveWorkers];
        using var burst = EnrollmentBurst.Create(Cluster, "dbcrash", devices: 10, requestsPerDevice: 10);
        using var deadline = new CancellationTokenSource(Deadline);
        Task run = burst.RunAsync(concurrency: 12, deadline.Token);
        await burst.WaitForCompletedAsync(10, Deadline);

        // Killed, not stopped: backends die mid-transaction, as in a crash, and the next start replays the WAL.
        int completedBeforeCrash = burst.Completed;
        _postgres!.Kill();
        try
        {
            await ScaleOutWait.UntilAsync(() => run.IsCompleted || burst.Enrollments.Any(e => e.Statuses.Contains(HttpStatusCode.ServiceUnavailable)), Deadline,
                () => "a device told 503 while the database is down");
            // Long enough for queued jobs to be taken, deferred and handed back at least once.
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            _postgres.Restart();
        }

        await run;
        X509Certificate2[] repeated = await Task.WhenAll(burst.Enrollments.Select(e => e.RepeatAsync(deadline.Token)));
        string[] serials = burst.Enrollments.Select(e => ScaleOutCluster.NormalizeSerial(e.Certificate!.SerialNumber)).ToArray();
        await TestContext.Progress.WriteLineAsync(
            $"scale-out: PostgreSQL killed after {completedBeforeCrash} of 100; answers seen: {Histogram(burst)}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(burst.Enrollments.SelectMany(e => e.Statuses), Does.Contain(HttpStatusCode.ServiceUnavailable), "the outage was seen");
            Assert.That(burst.Enrollments.Select(e => e.Statuses.Last()), Is.All.EqualTo(HttpStatusCode.OK), "every enrollment completed after the restart");
            Assert.That(serials, Is.Unique);
            Assert.That(repeated.Select(c => ScaleOutCluster.NormalizeSerial(c.SerialNumber)), Is.EqualTo(serials), "nothing issued twice, nothing lost");
            ScaleOutStore.AssertEachRecordedOnce(Cluster, burst, "dbcrash");
            Assert.That(Cluster.IssuedLines().Where(l => l.RequestId.Length > 0).GroupBy(l => l.RequestId).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty,
                "no request signed twice");
            Assert.That(workers.Where(w => w.HasExited).Select(w => w.Name), Is.Empty,
                "no worker process stopped because of the outage\n" + string.Join('\n', workers.Where(w => w.HasExited).Select(w => w.Describe())));
        }

        foreach (X509Certificate2 certificate in repeated)
        {
            certificate.Dispose();
        }
    }
}
