using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Queue;

public class InProcessSigningQueueTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private FakeTimeProvider _time = null!;

    [SetUp]
    public void CreateClock() => _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public async Task SubmitAsync_LeasedAndCompleted_ReturnsIssued()
    {
        InProcessSigningQueue queue = CreateQueue();
        SigningRequest request = Request("a");
        byte[] certificate = [1, 2, 3];

        Task<SigningOutcome> submitted = queue.SubmitAsync(request, Budget, CancellationToken.None).AsTask();
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        Assert.That(submitted.IsCompleted, Is.False, "the submitter waits for the signer");
        await lease.CompleteAsync(new SigningOutcome.Issued(certificate), CancellationToken.None);
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(lease.Request, Is.SameAs(request));
            Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
            Assert.That(((SigningOutcome.Issued)outcome).CertificateDer, Is.EqualTo(certificate));
        });
    }

    [Test]
    public async Task SubmitAsync_SameIdTwiceConcurrently_SharesOneJob()
    {
        InProcessSigningQueue queue = CreateQueue();

        Task<SigningOutcome> first = queue.SubmitAsync(Request("same"), Budget, CancellationToken.None).AsTask();
        Task<SigningOutcome> second = queue.SubmitAsync(Request("same"), Budget, CancellationToken.None).AsTask();
        Assert.That(queue.Backlog, Is.EqualTo(1), "the second submission joined the first job");

        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        using var noMore = new CancellationTokenSource();
        Task<ISigningJobLease> anotherLease = queue.LeaseAsync(noMore.Token).AsTask();
        await lease.CompleteAsync(new SigningOutcome.Issued([7, 7]), CancellationToken.None);
        SigningOutcome[] outcomes = await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(anotherLease.IsCompleted, Is.False, "no second job was queued");
            Assert.That(outcomes.Select(o => ((SigningOutcome.Issued)o).CertificateDer), Is.All.EqualTo(new byte[] { 7, 7 }));
            Assert.That(((SigningOutcome.Issued)outcomes[0]).CertificateDer, Is.SameAs(((SigningOutcome.Issued)outcomes[1]).CertificateDer), "one certificate");
        });
        await noMore.CancelAsync();
        Assert.That(async () => await anotherLease.WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task SubmitAsync_ManyConcurrentSubmissionsOfOneRequest_QueueOneJob()
    {
        InProcessSigningQueue queue = CreateQueue();

        Task<SigningOutcome>[] submissions = await Task.WhenAll(Enumerable.Range(0, 32)
            // Each thread returns once its submission is registered, not when it is answered.
            .Select(_ => Task.Run(() => Task.FromResult(queue.SubmitAsync(Request("racy"), Budget, CancellationToken.None).AsTask()))))
            .WaitAsync(Patience);
        Assert.That(queue.Backlog, Is.EqualTo(1));

        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await lease.CompleteAsync(new SigningOutcome.Issued([9]), CancellationToken.None);
        SigningOutcome[] outcomes = await Task.WhenAll(submissions).WaitAsync(Patience);

        Assert.That(outcomes, Is.All.InstanceOf<SigningOutcome.Issued>());
    }

    [Test]
    public async Task SubmitAsync_BudgetExpires_ReturnsPendingWithRetryAfter()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions { RetryAfter = TimeSpan.FromSeconds(17) });

        Task<SigningOutcome> submitted = queue.SubmitAsync(Request("slow"), Budget, CancellationToken.None).AsTask();
        _time.Advance(Budget - TimeSpan.FromMilliseconds(1));
        Assert.That(submitted.IsCompleted, Is.False, "still within the budget");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        Assert.That(outcome, Is.EqualTo(new SigningOutcome.Pending(TimeSpan.FromSeconds(17))));
    }

    [Test]
    public async Task SubmitAsync_RepeatAfterPending_ReturnsSameCertificateWithoutNewJob()
    {
        InProcessSigningQueue queue = CreateQueue();
        SigningRequest request = Request("retry");
        Task<SigningOutcome> first = queue.SubmitAsync(request, Budget, CancellationToken.None).AsTask();
        _time.Advance(Budget);
        Assert.That(await first.WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Pending>());
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        byte[] certificate = [4, 2];
        await lease.CompleteAsync(new SigningOutcome.Issued(certificate), CancellationToken.None);

        // RFC 7030 §4.2.3: the client comes back after Retry-After with the same request.
        _time.Advance(TimeSpan.FromMinutes(10));
        SigningOutcome repeated = await queue.SubmitAsync(Request("retry"), Budget, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(repeated, Is.InstanceOf<SigningOutcome.Issued>());
            Assert.That(((SigningOutcome.Issued)repeated).CertificateDer, Is.SameAs(certificate));
            Assert.That(queue.Backlog, Is.Zero);
        });
    }

    [Test]
    public async Task SubmitAsync_RepeatWhileStillQueued_JoinsJobAndGetsItsCertificate()
    {
        InProcessSigningQueue queue = CreateQueue();
        Task<SigningOutcome> first = queue.SubmitAsync(Request("queued"), Budget, CancellationToken.None).AsTask();
        _time.Advance(Budget);
        Assert.That(await first.WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Pending>());

        Task<SigningOutcome> repeat = queue.SubmitAsync(Request("queued"), Budget, CancellationToken.None).AsTask();
        Assert.That(queue.Backlog, Is.EqualTo(1));
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await lease.CompleteAsync(new SigningOutcome.Issued([5]), CancellationToken.None);

        Assert.That(await repeat.WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Issued>());
    }

    [Test]
    public async Task SubmitAsync_RepeatAfterResultRetention_QueuesNewJob()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions { ResultRetention = TimeSpan.FromSeconds(30) });
        await IssueDirectly(queue, Request("old"), [1]);

        _time.Advance(TimeSpan.FromSeconds(31));
        Task<SigningOutcome> repeat = queue.SubmitAsync(Request("old"), Budget, CancellationToken.None).AsTask();

        Assert.Multiple(() =>
        {
            Assert.That(repeat.IsCompleted, Is.False, "the old result was swept, so the request waits for a signer again");
            Assert.That(queue.Backlog, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SubmitAsync_RepeatWithinResultRetention_ReturnsSameCertificate()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions { ResultRetention = TimeSpan.FromSeconds(30) });
        byte[] certificate = [8];
        await IssueDirectly(queue, Request("recent"), certificate);

        _time.Advance(TimeSpan.FromSeconds(29));
        SigningOutcome repeat = await queue.SubmitAsync(Request("recent"), Budget, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.That(((SigningOutcome.Issued)repeat).CertificateDer, Is.SameAs(certificate));
    }

    [Test]
    public async Task SubmitAsync_AnsweredPending_KeptForPendingRetentionNotResultRetention()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions
        {
            ResultRetention = TimeSpan.FromSeconds(30),
            PendingResultRetention = TimeSpan.FromHours(1),
        });
        Task<SigningOutcome> first = queue.SubmitAsync(Request("pending"), Budget, CancellationToken.None).AsTask();
        _time.Advance(Budget);
        await first.WaitAsync(Patience);
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        byte[] certificate = [6];
        await lease.CompleteAsync(new SigningOutcome.Issued(certificate), CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(59));
        SigningOutcome withinHour = await queue.SubmitAsync(Request("pending"), Budget, CancellationToken.None).AsTask().WaitAsync(Patience);
        _time.Advance(TimeSpan.FromMinutes(2));
        Task<SigningOutcome> afterHour = queue.SubmitAsync(Request("pending"), Budget, CancellationToken.None).AsTask();

        Assert.Multiple(() =>
        {
            Assert.That(((SigningOutcome.Issued)withinHour).CertificateDer, Is.SameAs(certificate));
            Assert.That(afterHour.IsCompleted, Is.False, "swept after the pending retention");
            Assert.That(queue.Backlog, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SubmitAsync_QueueFull_ReturnsRefusedUnavailable()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions { Capacity = 1, RetryAfter = TimeSpan.FromSeconds(9) });
        _ = queue.SubmitAsync(Request("first"), Budget, CancellationToken.None);

        ValueTask<SigningOutcome> second = queue.SubmitAsync(Request("second"), Budget, CancellationToken.None);

        Assert.That(second.IsCompleted, Is.True, "a full queue answers at once");
        SigningOutcome outcome = await second;
        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Refused>());
        EstError error = ((SigningOutcome.Refused)outcome).Error;
        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(EstErrorKind.Unavailable));
            Assert.That(error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(9)));
            Assert.That(error.Reason, Does.Contain("queue is full"));
            Assert.That(queue.Backlog, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SubmitAsync_RefusedBecauseFull_IsNotRemembered()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions { Capacity = 1 });
        Task<SigningOutcome> first = queue.SubmitAsync(Request("first"), Budget, CancellationToken.None).AsTask();
        SigningOutcome refused = await queue.SubmitAsync(Request("second"), Budget, CancellationToken.None);
        Assert.That(refused, Is.InstanceOf<SigningOutcome.Refused>(), "precondition");

        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        Task<SigningOutcome> again = queue.SubmitAsync(Request("second"), Budget, CancellationToken.None).AsTask();

        Assert.Multiple(() =>
        {
            Assert.That(again.IsCompleted, Is.False, "with room in the queue, the retried request is queued");
            Assert.That(queue.Backlog, Is.EqualTo(1));
        });
        await lease.CompleteAsync(new SigningOutcome.Issued([1]), CancellationToken.None);
        await first.WaitAsync(Patience);
    }

    [Test]
    public async Task SubmitAsync_SignerRefused_IsNotRememberedAndResubmissionQueuesNewJob()
    {
        InProcessSigningQueue queue = CreateQueue();
        Task<SigningOutcome> first = queue.SubmitAsync(Request("refused"), Budget, CancellationToken.None).AsTask();
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        var refusal = new SigningOutcome.Refused(EstError.BadRequest("no"));
        await lease.CompleteAsync(refusal, CancellationToken.None);
        Assert.That(await first.WaitAsync(Patience), Is.SameAs(refusal));

        Task<SigningOutcome> second = queue.SubmitAsync(Request("refused"), Budget, CancellationToken.None).AsTask();
        ISigningJobLease secondLease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await secondLease.CompleteAsync(new SigningOutcome.Issued([3]), CancellationToken.None);

        SigningOutcome secondOutcome = await second.WaitAsync(Patience);

        Assert.Multiple(() =>
        {
            Assert.That(secondLease.Request.Id, Is.EqualTo("refused"), "the same request was looked at afresh");
            Assert.That(secondOutcome, Is.InstanceOf<SigningOutcome.Issued>());
        });
    }

    [Test]
    public async Task AbandonAsync_WaitingSubmitter_GetsUnavailable()
    {
        InProcessSigningQueue queue = CreateQueue(new InProcessSigningQueueOptions { RetryAfter = TimeSpan.FromSeconds(3) });
        Task<SigningOutcome> submitted = queue.SubmitAsync(Request("abandoned"), Budget, CancellationToken.None).AsTask();
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);

        await lease.AbandonAsync();
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Refused>());
        EstError error = ((SigningOutcome.Refused)outcome).Error;
        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(EstErrorKind.Unavailable));
            Assert.That(error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public async Task AbandonAsync_ThenResubmit_QueuesNewJob()
    {
        InProcessSigningQueue queue = CreateQueue();
        Task<SigningOutcome> submitted = queue.SubmitAsync(Request("abandoned"), Budget, CancellationToken.None).AsTask();
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await lease.AbandonAsync();
        await submitted.WaitAsync(Patience);

        Task<SigningOutcome> again = queue.SubmitAsync(Request("abandoned"), Budget, CancellationToken.None).AsTask();

        Assert.Multiple(() =>
        {
            Assert.That(again.IsCompleted, Is.False);
            Assert.That(queue.Backlog, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SubmitAsync_CancelledWhileWaiting_ThrowsAndJobStaysQueued()
    {
        InProcessSigningQueue queue = CreateQueue();
        using var cancellation = new CancellationTokenSource();
        Task<SigningOutcome> submitted = queue.SubmitAsync(Request("cancelled"), Budget, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        Assert.That(async () => await submitted.WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(queue.Backlog, Is.EqualTo(1), "a client hanging up does not withdraw the job; its retry finds it");
    }

    [Test]
    public async Task LeaseAsync_FifoOrder_ReturnsJobsInSubmissionOrder()
    {
        InProcessSigningQueue queue = CreateQueue();
        _ = queue.SubmitAsync(Request("one"), Budget, CancellationToken.None);
        _ = queue.SubmitAsync(Request("two"), Budget, CancellationToken.None);

        ISigningJobLease first = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        ISigningJobLease second = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.That(new[] { first.Request.Id, second.Request.Id }, Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    public void LeaseAsync_Cancelled_ThrowsOperationCanceled()
    {
        InProcessSigningQueue queue = CreateQueue();
        using var cancellation = new CancellationTokenSource();
        Task<ISigningJobLease> lease = queue.LeaseAsync(cancellation.Token).AsTask();

        cancellation.Cancel();

        Assert.That(async () => await lease.WaitAsync(Patience), Throws.InstanceOf<OperationCanceledException>());
    }

    private InProcessSigningQueue CreateQueue(InProcessSigningQueueOptions? options = null) => new(options ?? new InProcessSigningQueueOptions(), _time);

    private static SigningRequest Request(string id) =>
        new(id, "devices", "v1", EnrollmentKind.Enroll, [0x30, 0x00], [0x30, 0x00], DateTimeOffset.UnixEpoch);

    private static async Task IssueDirectly(InProcessSigningQueue queue, SigningRequest request, byte[] certificate)
    {
        Task<SigningOutcome> submitted = queue.SubmitAsync(request, Budget, CancellationToken.None).AsTask();
        ISigningJobLease lease = await queue.LeaseAsync(CancellationToken.None).AsTask().WaitAsync(Patience);
        await lease.CompleteAsync(new SigningOutcome.Issued(certificate), CancellationToken.None);
        Assert.That(await submitted.WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Issued>());
    }
}
