using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Redis.Tests;

/// <summary>The host's side of the Redis queue on a real redis-server: several hosts, notifications, refusals, outages.</summary>
[TestFixture]
public sealed class RedisSigningQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LongBudget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortBudget = TimeSpan.FromMilliseconds(100);

    private RedisServer _server = null!;
    private RedisQueueHarness? _harness;

    [OneTimeSetUp]
    public void StartRedis() => _server = LocalRedis.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _server?.Dispose();

    [TearDown]
    public async Task DisposeHarness()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [Test]
    public async Task SubmitAsync_SameRequestOnTwoHosts_OneJobAndSameCertificate()
    {
        _harness = new RedisQueueHarness(_server);
        using var otherConnection = new RedisConnection(_harness.Options, "test-host-2");
        var otherHost = new RedisSigningQueue(otherConnection, _harness.Options, _harness.Codec, RedisResilience.Create(_harness.Options, TimeProvider.System),
            TimeProvider.System, NullLogger<RedisSigningQueue>.Instance);
        TestWorker worker = await _harness.StartWorkerAsync();
        SigningRequest request = QueueRequests.Create();

        Task<SigningOutcome> onFirst = _harness.Queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        Task<SigningOutcome> onSecond = otherHost.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        await Eventually.UntilAsync(async () => await _harness.Database.KeyExistsAsync(_harness.Keys.Accepted(request.Id)), Patience, "the job is accepted");
        ISigningJobLease lease = await worker.LeaseAsync(Patience);
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        await lease.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome[] outcomes = await Task.WhenAll(onFirst, onSecond).WaitAsync(Patience);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(((SigningOutcome.Issued)outcomes[0]).CertificateDer, Is.EqualTo(certificate.CertificateDer));
            Assert.That(((SigningOutcome.Issued)outcomes[1]).CertificateDer, Is.EqualTo(certificate.CertificateDer));
            Assert.That(await _harness.StreamLengthAsync(), Is.Zero, "one job, completed and deleted; no second entry");
        }
    }

    [Test]
    public async Task SubmitAsync_WorkerPublishesDone_WaiterWokenWithoutPolling()
    {
        // The fallback poll is slower than the whole budget: only the pub/sub notification can answer in time.
        _harness = new RedisQueueHarness(_server, options => options with { ResultPollInterval = TimeSpan.FromMinutes(10) });
        TestWorker worker = await _harness.StartWorkerAsync();
        SigningRequest request = QueueRequests.Create();

        Task<SigningOutcome> submitted = _harness.Queue.SubmitAsync(request, Patience, CancellationToken.None).AsTask();
        ISigningJobLease lease = await worker.LeaseAsync(Patience);
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        await lease.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome outcome = await submitted.WaitAsync(LongBudget);

        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>(), "woken by the done notification before the budget ran out");
        Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(certificate.CertificateDer));
    }

    [Test]
    public async Task SubmitAsync_ResultStoredWithoutNotification_FoundByPoll()
    {
        _harness = new RedisQueueHarness(_server);
        SigningRequest request = QueueRequests.Create();

        Task<SigningOutcome> submitted = _harness.Queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        await Eventually.UntilAsync(async () => await _harness.Database.KeyExistsAsync(_harness.Keys.Accepted(request.Id)), Patience, "the job is accepted");
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        await _harness.Database.StringSetAsync(_harness.Keys.Result(request.Id), SigningOutcomeCodec.Encode(certificate), TimeSpan.FromHours(1));
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
        Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(certificate.CertificateDer));
    }

    [Test]
    public async Task SubmitAsync_RepeatWithinRefusalTtl_SameRefusalWithoutNewJob()
    {
        _harness = new RedisQueueHarness(_server, options => options with { RefusalTtl = TimeSpan.FromMinutes(1) });
        TestWorker worker = await _harness.StartWorkerAsync();
        SigningRequest request = QueueRequests.Create();
        Task<SigningOutcome> first = _harness.Queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        await (await worker.LeaseAsync(Patience)).CompleteAsync(new SigningOutcome.Refused(EstError.BadRequest("subject: CN is required")), CancellationToken.None);
        await first.WaitAsync(Patience);

        SigningOutcome repeat = await _harness.Queue.SubmitAsync(request, ShortBudget, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.That(repeat, Is.InstanceOf<SigningOutcome.Refused>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(((SigningOutcome.Refused)repeat).Error.Kind, Is.EqualTo(EstErrorKind.BadRequest));
            Assert.That(((SigningOutcome.Refused)repeat).Error.Reason, Is.EqualTo("subject: CN is required"));
            Assert.That(await _harness.StreamLengthAsync(), Is.Zero, "the repeat was answered from the stored refusal, not queued");
            Assert.That(await _harness.Database.KeyExistsAsync(_harness.Keys.Accepted(request.Id)), Is.False, "the refusal cleared the accepted marker");
        }
    }

    [Test]
    public async Task SubmitAsync_RedisDown_RefusedUnavailableByOpenCircuitThenRecoversAfterRestart()
    {
        _harness = new RedisQueueHarness(_server);
        SigningRequest acceptedBefore = QueueRequests.Create();
        Assert.That(await _harness.Queue.SubmitAsync(acceptedBefore, ShortBudget, CancellationToken.None), Is.InstanceOf<SigningOutcome.Pending>());

        List<SigningOutcome> whileDown = [];
        try
        {
            _server.Kill();
            // Keep submitting until the host no longer calls Redis at all: its circuit breaker is open.
            using var deadline = new CancellationTokenSource(Patience);
            while (true)
            {
                SigningRequest attempt = QueueRequests.Create();
                whileDown.Add(await _harness.Queue.SubmitAsync(attempt, ShortBudget, deadline.Token));
                if (_harness.QueueLog.Messages.Any(m => m.Contains(attempt.Id, StringComparison.Ordinal) && m.Contains("BrokenCircuitException", StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }
        finally
        {
            _server.Restart();
        }

        TestWorker worker = await _harness.StartWorkerAsync();
        SigningRequest after = QueueRequests.Create();
        Task<SigningOutcome> recovered = SubmitUntilAcceptedAsync(after);
        ISigningJobLease survivedLease = await worker.LeaseAsync(Patience);
        await survivedLease.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        ISigningJobLease lease = await worker.LeaseAsync(Patience);
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        await lease.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome outcome = await recovered.WaitAsync(Patience);
        SigningOutcome before = await _harness.Queue.SubmitAsync(acceptedBefore, LongBudget, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.That(whileDown, Is.All.InstanceOf<SigningOutcome.Refused>(), "503 while Redis is down, never a hang or an exception");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileDown.Cast<SigningOutcome.Refused>().Select(r => r.Error.Kind), Is.All.EqualTo(EstErrorKind.Unavailable));
            Assert.That(whileDown.Cast<SigningOutcome.Refused>().Select(r => r.Error.RetryAfter), Is.All.EqualTo(_harness.Options.RetryAfter));
            Assert.That(survivedLease.Request.Id, Is.EqualTo(acceptedBefore.Id), "the job accepted before the outage survived it (AOF)");
            Assert.That(lease.Request.Id, Is.EqualTo(after.Id));
            Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(certificate.CertificateDer), "the host recovered by itself after the restart");
            Assert.That(before, Is.InstanceOf<SigningOutcome.Issued>(), "the repeat of the earlier request gets its certificate");
        }
    }

    /// <summary>Submits until Redis takes the job (the circuit may still be open just after a restart), then waits for its outcome.</summary>
    private async Task<SigningOutcome> SubmitUntilAcceptedAsync(SigningRequest request)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            SigningOutcome outcome = await _harness!.Queue.SubmitAsync(request, LongBudget, deadline.Token);
            if (outcome is not SigningOutcome.Refused { Error.Kind: EstErrorKind.Unavailable })
            {
                return outcome;
            }

            await Task.Delay(100, deadline.Token);
        }
    }
}
