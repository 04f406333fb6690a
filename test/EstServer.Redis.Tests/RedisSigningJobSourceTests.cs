using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace EstServer.Redis.Tests;

/// <summary>The worker's side of the Redis queue on a real redis-server: what it refuses, takes over and skips.</summary>
[TestFixture]
public sealed class RedisSigningJobSourceTests : RedisHarnessFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LongBudget = TimeSpan.FromSeconds(30);

    /// <summary>Ten leases: a dead worker's job is due for takeover after one.</summary>
    private static readonly TimeSpan TakeoverPatience = TimeSpan.FromSeconds(10);

    public enum Forgery
    {
        WrongMac,
        MissingMac,
        MacUnderAnotherSecret,
        MissingPayload,
        IdRelabelled,
    }

    [TestCase(Forgery.WrongMac)]
    [TestCase(Forgery.MissingMac)]
    [TestCase(Forgery.MacUnderAnotherSecret)]
    [TestCase(Forgery.MissingPayload)]
    [TestCase(Forgery.IdRelabelled)]
    public async Task LeaseAsync_ForgedEntry_DroppedLoggedAndNeverLeased(Forgery forgery)
    {
        SigningRequest forged = QueueRequests.Create();
        (byte[] payload, byte[] mac) = Harness.Codec.Encode(forged);
        NameValueEntry[] fields = forgery switch
        {
            Forgery.WrongMac => [new("id", forged.Id), new("job", payload), new("mac", RandomNumberGenerator.GetBytes(32))],
            Forgery.MissingMac => [new("id", forged.Id), new("job", payload)],
            Forgery.MacUnderAnotherSecret => [new("id", forged.Id), new("job", payload), new("mac", new SigningJobCodec(RedisQueueHarness.NewSecret()).Encode(forged).Mac)],
            Forgery.MissingPayload => [new("id", forged.Id), new("mac", mac)],
            // A genuine job relabelled: the entry's id no longer matches the authenticated one.
            _ => [new("id", "0000000000000000000000000000000000000000"), new("job", payload), new("mac", mac)],
        };
        RedisValue forgedEntry = await Harness.AddRawEntryAsync(fields);
        SigningRequest sentinel = QueueRequests.Create();
        await Harness.AddJobAsync(sentinel);

        TestWorker worker = await Harness.StartWorkerAsync();
        ISigningJobLease first = await worker.LeaseAsync(Patience);

        Assert.That(first.Request.Id, Is.EqualTo(sentinel.Id), "the forged entry must never reach a signing loop");
        StreamEntry[] remaining = await Harness.Database.StreamRangeAsync(Harness.Keys.Stream, forgedEntry, forgedEntry);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(remaining, Is.Empty, "the forged entry is deleted from the stream");
            Assert.That(await Harness.PendingCountAsync(), Is.EqualTo(1), "only the sentinel is pending: the forged entry was acknowledged");
            Assert.That(await Harness.Database.KeyExistsAsync(Harness.Keys.Result(forged.Id)), Is.False, "no result for the forged request");
            Assert.That(worker.Log.Messages, Has.Some.Contains($"refused stream entry {forgedEntry}"));
        }
    }

    [Test]
    public async Task LeaseAsync_WorkerDiesHoldingJob_OtherWorkerTakesOverAndCompletesOnce()
    {
        SigningRequest request = QueueRequests.Create();
        TestWorker dying = await Harness.StartWorkerAsync();
        Task<SigningOutcome> submitted = Harness.Queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        ISigningJobLease held = await dying.LeaseAsync(Patience);
        await dying.StopAsync();

        TestWorker survivor = await Harness.StartWorkerAsync();
        ISigningJobLease taken = await survivor.LeaseAsync(Patience);
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        await taken.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        // The silent worker wakes up and completes too late: the first stored result stays.
        await held.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        SigningOutcome repeat = await Harness.Queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask().WaitAsync(Patience);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(held.Request.Id, Is.EqualTo(request.Id));
            Assert.That(taken.Request.Id, Is.EqualTo(request.Id));
            Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(certificate.CertificateDer));
            Assert.That(((SigningOutcome.Issued)repeat).CertificateDer, Is.EqualTo(certificate.CertificateDer), "first result wins");
            Assert.That(await Harness.StreamLengthAsync(), Is.Zero, "the job is deleted: it can never be delivered again");
            Assert.That(await Harness.PendingCountAsync(), Is.Zero);
            Assert.That(survivor.Log.Messages, Has.Some.Contains("took over 1 jobs"));
        }
    }

    [Test]
    public async Task LeaseAsync_RedeliveredJobAlreadyHasResult_AcknowledgedWithoutLease()
    {
        SigningRequest request = QueueRequests.Create();
        TestWorker dying = await Harness.StartWorkerAsync();
        Task<SigningOutcome> submitted = Harness.Queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        _ = await dying.LeaseAsync(Patience);
        await dying.StopAsync();
        // The worker stored its result and died before acknowledging (as after a failover that lost the XACK).
        SigningOutcome.Issued stored = QueueRequests.Certificate();
        await Harness.Database.StringSetAsync(Harness.Keys.Result(request.Id), SigningOutcomeCodec.Encode(stored), TimeSpan.FromHours(1));

        TestWorker survivor = await Harness.StartWorkerAsync();
        await Eventually.UntilAsync(async () => await Harness.StreamLengthAsync() == 0 && await Harness.PendingCountAsync() == 0, Patience,
            "the survivor acknowledges and deletes the redelivered job");
        SigningRequest sentinel = QueueRequests.Create();
        Task<SigningOutcome> sentinelSubmitted = Harness.Queue.SubmitAsync(sentinel, LongBudget, CancellationToken.None).AsTask();
        ISigningJobLease next = await survivor.LeaseAsync(Patience);
        await next.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        await sentinelSubmitted.WaitAsync(Patience);
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(next.Request.Id, Is.EqualTo(sentinel.Id), "the redelivered job was not handed to a signing loop");
            Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(stored.CertificateDer), "the waiting host got the stored result");
            Assert.That(survivor.Log.Messages, Has.Some.Contains("took over 1 jobs"));
        }
    }

    [Test]
    public async Task LeaseAsync_WorkerDiesHoldingJobWhileNewJobsKeepComing_TakenOverAnyway()
    {
        SigningRequest orphan = QueueRequests.Create();
        TestWorker dying = await Harness.StartWorkerAsync();
        Task<SigningOutcome> submitted = Harness.Queue.SubmitAsync(orphan, LongBudget, CancellationToken.None).AsTask();
        _ = await dying.LeaseAsync(Patience);
        await dying.StopAsync();

        // Sustained load: whenever the survivor reads the stream, new jobs are waiting there (it holds
        // at most two ahead of its signing loop, one handed over and one it is handing over).
        TestWorker survivor = await Harness.StartWorkerAsync();
        using var deadline = new CancellationTokenSource(TakeoverPatience);
        int newJobsSigned = 0;
        ISigningJobLease lease;
        try
        {
            for (int i = 0; i < 4; i++)
            {
                await Harness.AddJobAsync(QueueRequests.Create());
            }

            while (true)
            {
                await Harness.AddJobAsync(QueueRequests.Create());
                lease = await survivor.Source.LeaseAsync(deadline.Token);
                await lease.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
                if (lease.Request.Id == orphan.Id)
                {
                    break;
                }

                newJobsSigned++;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"the dead worker's job was not taken over within {TakeoverPatience} ({Harness.Options.LeaseTimeout} lease) while {newJobsSigned} new jobs were signed");
        }

        Assert.That(await submitted.WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Issued>());
    }

    [Test]
    public async Task LeaseAsync_StreamLostWithRedisData_WorkerRecreatesGroupAndKeepsWorking()
    {
        TestWorker worker = await Harness.StartWorkerAsync();
        SigningRequest before = QueueRequests.Create();
        Task<SigningOutcome> first = Harness.Queue.SubmitAsync(before, LongBudget, CancellationToken.None).AsTask();
        await (await worker.LeaseAsync(Patience)).CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        await first.WaitAsync(Patience);

        // Redis comes back empty (no persistence, or a failover to a replica that had nothing yet).
        await Harness.Database.KeyDeleteAsync(Harness.Keys.Stream);
        SigningRequest after = QueueRequests.Create();
        Task<SigningOutcome> submitted = Harness.Queue.SubmitAsync(after, LongBudget, CancellationToken.None).AsTask();
        Task<ISigningJobLease> leased = worker.LeaseAsync(Patience);
        await Task.WhenAny(leased, worker.Source.ExecuteTask!);

        Assert.That(worker.Source.ExecuteTask!.IsCompleted, Is.False, $"the worker's fetch loop ended: {worker.Source.ExecuteTask.Exception?.GetBaseException().Message}");
        ISigningJobLease lease = await leased;
        await lease.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        Assert.That(await submitted.WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Issued>());
    }

    [Test]
    public async Task CompleteAsync_RedisDownLongerThanLease_SigningLoopKeepsWorkingAfterRecovery()
    {
        using GatedProfileCatalog catalog = new();
        using X509Certificate2 ca = TestCertificates.CreateRootCa("CN=Redis Test CA");
        using ECDsa caKey = ca.GetECDsaPrivateKey()!;
        using var signer = new EcdsaCertificateSigner(caKey);
        EnrollmentPipeline processor = TestPipeline.Create(catalog, new IssuingCa([ca.RawData]), signer, TimeProvider.System);
        TestWorker worker = await Harness.StartWorkerAsync(concurrency: 1);
        using var signing = new SigningWorker(worker.Source, processor, new SigningWorkerOptions { Concurrency = 1 }, NullLogger<SigningWorker>.Instance);
        await signing.StartAsync(CancellationToken.None);
        try
        {
            SigningRequest held = QueueRequests.Create();
            _ = await Harness.Queue.SubmitAsync(held, TimeSpan.Zero, CancellationToken.None);
            await catalog.Entered.WaitAsync(Patience);

            // Redis goes away while the job is being signed, and stays away for longer than the lease.
            Server.Kill();
            catalog.Open();
            await worker.Log.WaitForAsync(m => m.Contains("Redis unavailable"), count: 4, Patience);
            Server.Restart();

            SigningRequest next = QueueRequests.Create();
            Task<SigningOutcome> outcome = SubmitUntilAcceptedAsync(next);
            await Task.WhenAny(outcome, signing.ExecuteTask!);
            Assert.That(signing.ExecuteTask!.IsCompleted, Is.False, $"the signer's only signing loop ended: {signing.ExecuteTask.Exception?.GetBaseException().Message}");
            SigningOutcome result = await outcome;

            Assert.That(result, Is.InstanceOf<SigningOutcome.Refused>(), "processed: refused because the test catalog has no profiles");
            Assert.That(((SigningOutcome.Refused)result).Error.Kind, Is.EqualTo(EstErrorKind.NotFound));
        }
        finally
        {
            catalog.Open();
            await signing.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Submits until Redis takes the job (the host's circuit may still be open just after a restart), then waits for its outcome.</summary>
    private async Task<SigningOutcome> SubmitUntilAcceptedAsync(SigningRequest request)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            SigningOutcome outcome = await Harness.Queue.SubmitAsync(request, LongBudget, deadline.Token);
            if (outcome is not SigningOutcome.Refused { Error.Kind: EstErrorKind.Unavailable })
            {
                return outcome;
            }

            await Task.Delay(100, deadline.Token);
        }
    }
}
