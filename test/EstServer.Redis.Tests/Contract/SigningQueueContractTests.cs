using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using EstServer.Redis.Tests.Support;

namespace EstServer.Redis.Tests.Contract;

/// <summary>
/// What every signing queue promises the EST front end (ISigningQueue) and the signer (ISigningJobSource),
/// run against each implementation: the embedded queue and the Redis queue with its workers' job source.
/// "No second job" is checked with a sentinel: jobs are handed out in order, so when the next lease is
/// a request submitted afterwards, no duplicate was queued before it.
/// </summary>
public abstract class SigningQueueContractTests
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    protected static readonly TimeSpan LongBudget = TimeSpan.FromSeconds(30);
    protected static readonly TimeSpan ShortBudget = TimeSpan.FromMilliseconds(200);
    protected static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(3);

    /// <summary>A fresh, empty queue that refuses jobs beyond <paramref name="capacity"/> waiting ones.</summary>
    protected abstract Task<ISigningQueue> CreateQueueAsync(int capacity);

    /// <summary>The next job the signer side hands out; fails when none comes within <see cref="Patience"/>.</summary>
    protected abstract Task<ISigningJobLease> LeaseAsync();

    /// <summary>Waits until the queue no longer answers a refused request from memory (immediately, or after a TTL).</summary>
    protected abstract Task WaitUntilRefusalForgottenAsync(string requestId);

    [TearDown]
    public abstract Task DisposeQueueAsync();

    [Test]
    public async Task SubmitAsync_LeasedAndCompleted_ReturnsIssued()
    {
        ISigningQueue queue = await CreateQueueAsync(capacity: 16);
        SigningRequest request = QueueRequests.Create();
        SigningOutcome.Issued certificate = QueueRequests.Certificate();

        Task<SigningOutcome> submitted = queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        ISigningJobLease lease = await LeaseAsync();
        AssertSameRequest(lease.Request, request);
        await lease.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        AssertIssued(outcome, certificate);
    }

    [Test]
    public async Task SubmitAsync_SameIdConcurrently_OneJobAndSameCertificate()
    {
        ISigningQueue queue = await CreateQueueAsync(capacity: 16);
        SigningRequest request = QueueRequests.Create();
        SigningOutcome.Issued certificate = QueueRequests.Certificate();

        Task<SigningOutcome>[] submissions = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask()))
            .ToArray();
        ISigningJobLease lease = await LeaseAsync();
        await lease.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome[] outcomes = await Task.WhenAll(submissions).WaitAsync(Patience);

        foreach (SigningOutcome outcome in outcomes)
        {
            AssertIssued(outcome, certificate);
        }

        await AssertNextJobIsSentinelAsync(queue);
    }

    [Test]
    public async Task SubmitAsync_SameIdAfterIssued_SameCertificateWithoutNewJob()
    {
        ISigningQueue queue = await CreateQueueAsync(capacity: 16);
        SigningRequest request = QueueRequests.Create();
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        Task<SigningOutcome> first = queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        await (await LeaseAsync()).CompleteAsync(certificate, CancellationToken.None);
        AssertIssued(await first.WaitAsync(Patience), certificate);

        SigningOutcome again = await queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask().WaitAsync(Patience);

        AssertIssued(again, certificate);
        await AssertNextJobIsSentinelAsync(queue);
    }

    [Test]
    public async Task SubmitAsync_BudgetExpires_PendingThenRepeatGetsResult()
    {
        ISigningQueue queue = await CreateQueueAsync(capacity: 16);
        SigningRequest request = QueueRequests.Create();
        SigningOutcome.Issued certificate = QueueRequests.Certificate();

        SigningOutcome first = await queue.SubmitAsync(request, ShortBudget, CancellationToken.None).AsTask().WaitAsync(Patience);
        ISigningJobLease lease = await LeaseAsync();
        await lease.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome repeat = await queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.That(first, Is.EqualTo(new SigningOutcome.Pending(RetryAfter)), "202 with the configured Retry-After");
        AssertSameRequest(lease.Request, request);
        AssertIssued(repeat, certificate);
        await AssertNextJobIsSentinelAsync(queue);
    }

    [Test]
    public async Task SubmitAsync_AfterRefusalForgotten_QueuesAnew()
    {
        ISigningQueue queue = await CreateQueueAsync(capacity: 16);
        SigningRequest request = QueueRequests.Create();
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        Task<SigningOutcome> first = queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        await (await LeaseAsync()).CompleteAsync(new SigningOutcome.Refused(EstError.Forbidden("the profile changed under this request")), CancellationToken.None);
        SigningOutcome refused = await first.WaitAsync(Patience);

        await WaitUntilRefusalForgottenAsync(request.Id);
        Task<SigningOutcome> retried = queue.SubmitAsync(request, LongBudget, CancellationToken.None).AsTask();
        ISigningJobLease second = await LeaseAsync();
        await second.CompleteAsync(certificate, CancellationToken.None);
        SigningOutcome outcome = await retried.WaitAsync(Patience);

        Assert.That(refused, Is.InstanceOf<SigningOutcome.Refused>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(((SigningOutcome.Refused)refused).Error.Kind, Is.EqualTo(EstErrorKind.Forbidden));
            Assert.That(((SigningOutcome.Refused)refused).Error.Reason, Is.EqualTo("the profile changed under this request"));
        }

        AssertSameRequest(second.Request, request);
        AssertIssued(outcome, certificate);
    }

    [Test]
    public async Task SubmitAsync_BacklogFull_RefusedUnavailableUntilThereIsRoom()
    {
        ISigningQueue queue = await CreateQueueAsync(capacity: 2);
        SigningRequest a = QueueRequests.Create();
        SigningRequest b = QueueRequests.Create();
        SigningRequest c = QueueRequests.Create();

        SigningOutcome outcomeA = await queue.SubmitAsync(a, ShortBudget, CancellationToken.None).AsTask().WaitAsync(Patience);
        SigningOutcome outcomeB = await queue.SubmitAsync(b, ShortBudget, CancellationToken.None).AsTask().WaitAsync(Patience);
        SigningOutcome outcomeC = await queue.SubmitAsync(c, ShortBudget, CancellationToken.None).AsTask().WaitAsync(Patience);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomeA, Is.InstanceOf<SigningOutcome.Pending>());
            Assert.That(outcomeB, Is.InstanceOf<SigningOutcome.Pending>());
            Assert.That(outcomeC, Is.InstanceOf<SigningOutcome.Refused>());
        }

        EstError full = ((SigningOutcome.Refused)outcomeC).Error;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(full.Kind, Is.EqualTo(EstErrorKind.Unavailable), "503");
            Assert.That(full.RetryAfter, Is.EqualTo(RetryAfter));
        }

        // The refusal is not remembered: once a job is done there is room, and the same request is queued.
        ISigningJobLease leaseA = await LeaseAsync();
        AssertSameRequest(leaseA.Request, a);
        await leaseA.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        Task<SigningOutcome> retriedC = queue.SubmitAsync(c, LongBudget, CancellationToken.None).AsTask();
        ISigningJobLease leaseB = await LeaseAsync();
        AssertSameRequest(leaseB.Request, b);
        await leaseB.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        ISigningJobLease leaseC = await LeaseAsync();
        AssertSameRequest(leaseC.Request, c);
        SigningOutcome.Issued certificateC = QueueRequests.Certificate();
        await leaseC.CompleteAsync(certificateC, CancellationToken.None);

        AssertIssued(await retriedC.WaitAsync(Patience), certificateC);
    }

    /// <summary>Submits a new request and requires it to be the next job handed out (no duplicate queued before it).</summary>
    private async Task AssertNextJobIsSentinelAsync(ISigningQueue queue)
    {
        SigningRequest sentinel = QueueRequests.Create();
        Task<SigningOutcome> submitted = queue.SubmitAsync(sentinel, LongBudget, CancellationToken.None).AsTask();
        ISigningJobLease next = await LeaseAsync();
        Assert.That(next.Request.Id, Is.EqualTo(sentinel.Id), "a second job was queued for a request that already had one");
        SigningOutcome.Issued certificate = QueueRequests.Certificate();
        await next.CompleteAsync(certificate, CancellationToken.None);
        AssertIssued(await submitted.WaitAsync(Patience), certificate);
    }

    protected static void AssertSameRequest(SigningRequest actual, SigningRequest expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual.Id, Is.EqualTo(expected.Id));
            Assert.That(actual.ProfileName, Is.EqualTo(expected.ProfileName));
            Assert.That(actual.ProfileVersion, Is.EqualTo(expected.ProfileVersion));
            Assert.That(actual.Kind, Is.EqualTo(expected.Kind));
            Assert.That(actual.CsrDer, Is.EqualTo(expected.CsrDer));
            Assert.That(actual.ClientCertificateDer, Is.EqualTo(expected.ClientCertificateDer));
            Assert.That(actual.SubmittedAt, Is.EqualTo(expected.SubmittedAt));
        }
    }

    protected static void AssertIssued(SigningOutcome outcome, SigningOutcome.Issued expected)
    {
        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>(), $"outcome was {outcome}");
        Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(expected.CertificateDer), "the same certificate bytes");
    }
}
