using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Pipeline;
using EstServer.EndToEnd.Tests.Support;
using EstServer.Redis;
using EstServer.TestSupport;
using StackExchange.Redis;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// The scale-out deployment end to end: a host (without the CA key) queues every enrollment in a real
/// Redis, two signer worker processes sign, devices enroll over real mutual TLS. The processes start
/// once for the fixture; a test that kills a worker has it replaced before the next test.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class RedisScaleOutTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private ScaleOutCluster? _cluster;

    private ScaleOutCluster Cluster => _cluster!;

    [OneTimeSetUp]
    public async Task StartDeployment()
    {
        if (RedisServer.FindExecutable() is null)
        {
            if (RedisServer.Required)
            {
                Assert.Fail("redis-server is not installed, and CI=true requires the scale-out tests to run (apt-get install redis-server)");
            }

            Assert.Ignore("redis-server is not installed; the scale-out tests need it (they fail instead of skipping when CI=true)");
        }

        if (PostgresServer.FindBinDirectory() is null)
        {
            if (PostgresServer.Required)
            {
                Assert.Fail("PostgreSQL is not installed, and CI=true requires the scale-out tests to run (apt-get install postgresql)");
            }

            Assert.Ignore("PostgreSQL is not installed; the scale-out tests need it (they fail instead of skipping when CI=true)");
        }

        _redis = RedisServer.Start();
        _postgres = PostgresServer.Start();
        var started = Stopwatch.StartNew();
        _cluster = await ScaleOutCluster.StartAsync(_redis, _postgres);
        await TestContext.Progress.WriteLineAsync($"scale-out: Redis, PostgreSQL, host and two workers started in {started.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public async Task StopDeployment()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _redis?.Dispose();
        _postgres?.Dispose();
    }

    [SetUp]
    public async Task TwoLiveWorkers()
    {
        Assert.That(Cluster.Host.HasExited, Is.False, Cluster.Describe());
        await Cluster.EnsureLiveWorkersAsync(2);
    }

    [Test]
    public async Task SimpleEnroll_TwoHundredEnrollmentsOverTls_AllIssuedOnceAndBothWorkersSigned()
    {
        using var burst = EnrollmentBurst.Create(Cluster, "bulk", devices: 20, requestsPerDevice: 10);
        using var deadline = new CancellationTokenSource(Deadline);

        var elapsed = Stopwatch.StartNew();
        await burst.RunAsync(concurrency: 16, deadline.Token);
        elapsed.Stop();
        await TestContext.Progress.WriteLineAsync($"scale-out: 200 enrollments through Redis and two workers in {elapsed.Elapsed.TotalSeconds:F1} s; answers seen: {Histogram(burst)}");

        HashSet<string> requestIds = burst.Enrollments.Select(e => e.RequestId).ToHashSet();
        await ScaleOutWait.UntilAsync(() => Cluster.IssuedLines().Select(l => l.RequestId).Where(requestIds.Contains).Distinct().Count() == requestIds.Count,
            Deadline, () => "every request's audit line from a worker\n" + Cluster.Describe());
        List<IssuedLine> lines = Cluster.IssuedLines().Where(l => requestIds.Contains(l.RequestId)).ToList();
        string[] serials = burst.Enrollments.Select(e => ScaleOutCluster.NormalizeSerial(e.Certificate!.SerialNumber)).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(burst.Enrollments.Select(e => e.Statuses.Last()), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(serials, Is.Unique, "every enrollment got its own certificate");
            Assert.That(lines, Has.Count.EqualTo(200), "each request was signed exactly once");
            Assert.That(lines.Select(l => l.Serial), Is.EquivalentTo(serials), "the audit lines name the serials the devices received");
            foreach (ServerProcess worker in Cluster.LiveWorkers)
            {
                Assert.That(lines.Count(l => l.Worker == worker.Name), Is.Positive, $"{worker.Name} signed none of the 200");
            }
        }

        foreach (DeviceEnrollment enrollment in burst.Enrollments)
        {
            AssertIssuedByIssuingCa(enrollment.Certificate!);
        }

        ScaleOutStore.AssertEachRecordedOnce(Cluster, burst, "bulk");
    }

    [Test]
    public async Task SimpleEnroll_WorkerKilledHoldingJobsMidBurst_EveryRequestIssuedOneCertificate()
    {
        ServerProcess victim = Cluster.LiveWorkers[0];
        ServerProcess survivor = Cluster.LiveWorkers[1];
        string victimName = ScaleOutCluster.ConsumerName(victim);
        using var burst = EnrollmentBurst.Create(Cluster, "kill", devices: 10, requestsPerDevice: 8);
        using var deadline = new CancellationTokenSource(Deadline);
        Task run = burst.RunAsync(concurrency: 16, deadline.Token);

        // Freeze the victim at a moment it holds delivered, unacknowledged jobs, then kill -9 it.
        StreamPendingMessageInfo[] orphaned = [];
        await ScaleOutWait.UntilAsync(async () =>
        {
            if ((await PendingForAsync(victimName)).Length == 0)
            {
                return run.IsCompleted ? throw new InvalidOperationException("the burst ended before the victim was caught holding a job") : false;
            }

            victim.Freeze();
            try
            {
                orphaned = await PendingForAsync(victimName);
            }
            finally
            {
                if (orphaned.Length == 0)
                {
                    victim.Thaw();
                }
            }

            return orphaned.Length > 0;
        }, Deadline, () => "the victim holding a job");
        await victim.KillAsync();
        await TestContext.Progress.WriteLineAsync($"scale-out: killed {victim.Name} holding {orphaned.Length} job(s) after {burst.Completed} of 80 enrollments");

        await run;
        await survivor.WaitForLineAsync(line => line.Contains("jobs whose worker went silent", StringComparison.Ordinal), Deadline);
        X509Certificate2[] repeated = await Task.WhenAll(burst.Enrollments.Select(e => e.RepeatAsync(deadline.Token)));
        string[] serials = burst.Enrollments.Select(e => ScaleOutCluster.NormalizeSerial(e.Certificate!.SerialNumber)).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(burst.Enrollments.Select(e => e.Statuses.Last()), Is.All.EqualTo(HttpStatusCode.OK), "every accepted enrollment completed");
            Assert.That(serials, Is.Unique, "no two requests share a certificate");
            Assert.That(repeated.Select(c => ScaleOutCluster.NormalizeSerial(c.SerialNumber)), Is.EqualTo(serials), "repeating a request returns its certificate, not a new one");
            Assert.That(await PendingForAsync(victimName), Is.Empty, "the dead worker's jobs were taken over");
            ScaleOutStore.AssertEachRecordedOnce(Cluster, burst, "kill");
            foreach (StreamPendingMessageInfo job in orphaned)
            {
                Assert.That(await Cluster.RedisDatabase.StreamRangeAsync(Cluster.StreamKey, job.MessageId, job.MessageId), Is.Empty, $"orphaned job {job.MessageId} completed and deleted");
            }
        }

        foreach (X509Certificate2 certificate in repeated)
        {
            certificate.Dispose();
        }
    }

    [Test]
    public async Task SimpleEnroll_RedisRestartedMidBurst_503Or202ThenAllIssuedNothingLost()
    {
        ServerProcess[] workers = [.. Cluster.LiveWorkers];
        using var burst = EnrollmentBurst.Create(Cluster, "outage", devices: 10, requestsPerDevice: 10);
        using var deadline = new CancellationTokenSource(Deadline);
        Task run = burst.RunAsync(concurrency: 12, deadline.Token);
        await burst.WaitForCompletedAsync(10, Deadline);

        // Redis crashes at a moment a worker is in the middle of a job (it holds a request's lock), and
        // stays down for longer than the lease, as a restart with a real data set or a failover does. To
        // find such a moment, the workers are frozen until a backlog has built up, then watched closely
        // while they work through it.
        int completedBeforeOutage = 0;
        string? busyWorker = null;
        string[] midJob = [];
        try
        {
            await ScaleOutWait.UntilAsync(async () =>
            {
                FreezeAll(workers);
                try
                {
                    await ScaleOutWait.UntilAsync(async () => run.IsCompleted || await Cluster.UndeliveredJobsAsync() >= 4, Deadline, () => "a backlog");
                }
                finally
                {
                    ThawAll(workers);
                }

                for (int look = 0; look < 500 && busyWorker is null && !run.IsCompleted; look++)
                {
                    if (BusyWorker(await Cluster.LockHoldersAsync()) is null)
                    {
                        continue;
                    }

                    FreezeAll(workers);
                    try
                    {
                        midJob = await Cluster.LockHoldersAsync();
                        busyWorker = BusyWorker(midJob);
                        if (busyWorker is not null)
                        {
                            _redis!.Kill();
                            completedBeforeOutage = burst.Completed;
                        }
                    }
                    finally
                    {
                        ThawAll(workers);
                    }
                }

                return busyWorker is not null || run.IsCompleted;
            }, Deadline, () => "a worker in the middle of a job");
            Assert.That(busyWorker, Is.Not.Null, "the burst ended before a worker was caught in the middle of a job");

            ServerProcess holder = Cluster.WorkerNamed(busyWorker!);
            await ScaleOutWait.UntilAsync(
                () => holder.HasExited || holder.OutputLines.Any(line => RetryDelay(line) >= 3200),
                Deadline,
                () => $"{holder.Name} has retried Redis for longer than the 3 s lease\n{holder.Describe()}");
            await ScaleOutWait.UntilAsync(() => burst.Enrollments.Any(e => e.Statuses.Contains(HttpStatusCode.ServiceUnavailable)), Deadline,
                () => "a device told 503 while Redis is down");
        }
        finally
        {
            _redis!.Restart();
        }

        // With no worker left nothing can complete: say so now rather than at the deadline.
        await ScaleOutWait.UntilAsync(() => run.IsCompleted || workers.All(w => w.HasExited), Deadline, () => "the burst completes");
        if (!run.IsCompleted)
        {
            await deadline.CancelAsync();
            await run.ContinueWith(_ => { }, TaskScheduler.Default);
            Assert.Fail("every worker process stopped during the Redis outage\n" + string.Join('\n', workers.Select(w => w.Describe())));
        }

        await run;
        X509Certificate2[] repeated = await Task.WhenAll(burst.Enrollments.Select(e => e.RepeatAsync(deadline.Token)));
        string[] serials = burst.Enrollments.Select(e => ScaleOutCluster.NormalizeSerial(e.Certificate!.SerialNumber)).ToArray();
        HttpStatusCode[] seen = burst.Enrollments.SelectMany(e => e.Statuses).ToArray();
        await TestContext.Progress.WriteLineAsync(
            $"scale-out: Redis killed after {completedBeforeOutage} of 100 with {midJob.Length} job(s) mid-signing; answers seen: {Histogram(burst)}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Does.Contain(HttpStatusCode.ServiceUnavailable));
            Assert.That(burst.Enrollments.Select(e => e.Statuses.Last()), Is.All.EqualTo(HttpStatusCode.OK), "every enrollment completed after the restart");
            Assert.That(serials, Is.Unique);
            Assert.That(repeated.Select(c => ScaleOutCluster.NormalizeSerial(c.SerialNumber)), Is.EqualTo(serials), "nothing issued twice, nothing lost");
            ScaleOutStore.AssertEachRecordedOnce(Cluster, burst, "outage");
            Assert.That(workers.Where(w => w.HasExited).Select(w => w.Name), Is.Empty,
                "no worker process stopped because of the outage\n" + string.Join('\n', workers.Where(w => w.HasExited).Select(w => w.Describe())));
        }

        foreach (X509Certificate2 certificate in repeated)
        {
            certificate.Dispose();
        }
    }

    private static string Histogram(EnrollmentBurst burst) =>
        string.Join(", ", burst.Enrollments.SelectMany(e => e.Statuses).GroupBy(status => (int)status).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));

    /// <summary>A worker holding as many requests' locks as it has signing loops (so every loop will be completing a job), if any.</summary>
    private static string? BusyWorker(string[] lockHolders) =>
        lockHolders.GroupBy(holder => holder).FirstOrDefault(held => held.Count() >= ScaleOutCluster.SigningLoopsPerWorker)?.Key;

    private static void FreezeAll(IEnumerable<ServerProcess> workers)
    {
        foreach (ServerProcess worker in workers)
        {
            worker.Freeze();
        }
    }

    private static void ThawAll(IEnumerable<ServerProcess> workers)
    {
        foreach (ServerProcess worker in workers)
        {
            worker.Thaw();
        }
    }

    /// <summary>The back-off a worker announces after a failed Redis call ("retrying in 1600 ms"), or -1.</summary>
    private static int RetryDelay(string line) =>
        RetryPattern().Match(line) is { Success: true } match ? int.Parse(match.Groups["ms"].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    [System.Text.RegularExpressions.GeneratedRegex(@"Redis unavailable .*; retrying in (?<ms>\d+) ms$")]
    private static partial System.Text.RegularExpressions.Regex RetryPattern();

    public enum Forgery
    {
        MacUnderAnotherSecret,
        NoMac,
    }

    [TestCase(Forgery.MacUnderAnotherSecret)]
    [TestCase(Forgery.NoMac)]
    public async Task Signer_ForgedJobWrittenToStream_RefusedAndNeverSigned(Forgery forgery)
    {
        // A well-formed job for a real device and CSR: only the MAC stands between it and a certificate.
        using X509Certificate2 device = Cluster.MintDevice("forged-device");
        TestCsr csr = TestCsr.Create("CN=forged-device, O=Scale-out E2E");
        var request = new SigningRequest(
            SigningRequestId.Derive(EnrollmentKind.Enroll, ScaleOutCluster.ProfileName, device.RawData, csr.Der),
            ScaleOutCluster.ProfileName, "forged", EnrollmentKind.Enroll, csr.Der, device.RawData, DateTimeOffset.UtcNow);
        (byte[] payload, byte[] mac) = new SigningJobCodec(QueueSecret.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))).Encode(request);
        NameValueEntry[] fields = forgery == Forgery.NoMac
            ? [new("id", request.Id), new("job", payload)]
            : [new("id", request.Id), new("job", payload), new("mac", mac)];

        RedisValue entry = await Cluster.RedisDatabase.StreamAddAsync(Cluster.StreamKey, fields);
        string refusal = $"refused stream entry {entry}";
        await ScaleOutWait.UntilAsync(() => Cluster.AllWorkers.Any(w => w.Count(l => l.Contains(refusal, StringComparison.Ordinal)) > 0), Deadline,
            () => "a worker logs the refusal\n" + Cluster.Describe());
        await ScaleOutWait.UntilAsync(async () => (await Cluster.RedisDatabase.StreamRangeAsync(Cluster.StreamKey, entry, entry)).Length == 0, Deadline,
            () => "the forged entry is dropped from the stream");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Cluster.RedisDatabase.KeyExistsAsync(Cluster.ResultKey(request.Id)), Is.False, "no result stored for the forged job");
            Assert.That(await Cluster.RedisDatabase.StreamPendingMessagesAsync(Cluster.StreamKey, "signers", 1000, RedisValue.Null), Has.None.Matches<StreamPendingMessageInfo>(p => p.MessageId == entry),
                "the forged entry is acknowledged");
            Assert.That(Cluster.IssuedLines().Select(l => l.RequestId), Does.Not.Contain(request.Id), "never signed");
        }
    }

    [Test]
    public async Task SimpleEnroll_HostWithoutCaKeyFile_IssuedByWorkers()
    {
        string hostPki = Path.Combine(Cluster.HostDataDirectory, "dev-pki");
        using X509Certificate2 device = Cluster.MintDevice("keyless-host-device");
        using HttpClient client = Cluster.CreateClient(device);
        var enrollment = new DeviceEnrollment(client, device, TestCsr.Create("CN=keyless-host-device, O=Scale-out E2E"));
        using var deadline = new CancellationTokenSource(Deadline);

        using X509Certificate2 certificate = await enrollment.EnrollAsync(deadline.Token);
        await ScaleOutWait.UntilAsync(() => Cluster.IssuedLines().Any(l => l.RequestId == enrollment.RequestId), Deadline, () => "a worker's audit line");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(Path.Combine(hostPki, "issuing-ca.key")), Is.False, "the host has no issuing CA key");
            Assert.That(File.Exists(Path.Combine(hostPki, "root-ca.key")), Is.False, "the host has no root CA key");
            Assert.That(File.Exists(Path.Combine(Cluster.WorkerDataDirectory, "dev-pki", "issuing-ca.key")), Is.True, "the workers do");
            Assert.That(Cluster.IssuedLines().Single(l => l.RequestId == enrollment.RequestId).Serial, Is.EqualTo(ScaleOutCluster.NormalizeSerial(certificate.SerialNumber)));
        }

        AssertIssuedByIssuingCa(certificate);
    }

    private async Task<StreamPendingMessageInfo[]> PendingForAsync(string consumer) =>
        await Cluster.RedisDatabase.StreamPendingMessagesAsync(Cluster.StreamKey, "signers", 1000, consumer);

    private void AssertIssuedByIssuingCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Cluster.TrustAnchor);
        chain.ChainPolicy.ExtraStore.Add(Cluster.IssuingCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        Assert.That(chain.Build(certificate), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.That(chain.ChainElements[1].Certificate.Thumbprint, Is.EqualTo(Cluster.IssuingCa.Thumbprint), "signed by the issuing CA");
    }
}
