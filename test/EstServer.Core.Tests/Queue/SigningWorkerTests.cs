using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Queue;

public class SigningWorkerTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private TestCaHierarchy _pki = null!;
    private X509Certificate2 _client = null!;
    private FakeTimeProvider _time = null!;
    private InProcessSigningQueue _queue = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _pki = TestCaHierarchy.Create(name: "Worker");
        _client = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=worker-client");
    }

    [OneTimeTearDown]
    public void DisposeCa()
    {
        _client.Dispose();
        _pki.Dispose();
    }

    [SetUp]
    public void CreateQueue()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _queue = new InProcessSigningQueue(new InProcessSigningQueueOptions(), _time);
    }

    [Test]
    public async Task StartAsync_SubmittedRequest_IsIssued()
    {
        using SigningWorker worker = CreateWorker(concurrency: 1);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            SigningOutcome outcome = await Submit(TestCsr.Create("CN=worker-device")).WaitAsync(Patience);

            Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(((SigningOutcome.Issued)outcome).CertificateDer);
            Assert.That(certificate.Subject, Is.EqualTo("CN=worker-device"));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task StartAsync_ManyRequestsWithSeveralLoops_AllIssuedWithDistinctSerials()
    {
        using SigningWorker worker = CreateWorker(concurrency: 3);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            Task<SigningOutcome>[] submissions = Enumerable.Range(0, 20).Select(i => Submit(TestCsr.Create($"CN=bulk-{i}"))).ToArray();
            SigningOutcome[] outcomes = await Task.WhenAll(submissions).WaitAsync(Patience);

            Assert.That(outcomes, Is.All.InstanceOf<SigningOutcome.Issued>());
            string[] serials = outcomes.Select(o =>
            {
                using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(((SigningOutcome.Issued)o).CertificateDer);
                return certificate.SerialNumber;
            }).ToArray();
            Assert.That(serials, Is.Unique);
            Assert.That(worker.Concurrency, Is.EqualTo(3));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task StartAsync_PolicyRefusal_ReachesSubmitter()
    {
        using SigningWorker worker = CreateWorker(concurrency: 1);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            SigningOutcome outcome = await Submit(TestCsr.Create("CN=weak", TestKeyType.Rsa1024)).WaitAsync(Patience);

            Assert.That(outcome, Is.InstanceOf<SigningOutcome.Refused>());
            Assert.That(((SigningOutcome.Refused)outcome).Error.Reason, Does.Contain("RSA-1024"));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task StartAsync_SignerThrows_SubmitterGetsInternalErrorAndWorkerCarriesOn()
    {
        var logger = new RecordingLogger<SigningWorker>();
        var signer = new FailingSigner(_pki.Signer, failures: 1);
        using SigningWorker worker = CreateWorker(concurrency: 1, signer, logger);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            SigningOutcome failed = await Submit(TestCsr.Create("CN=unlucky")).WaitAsync(Patience);
            SigningOutcome next = await Submit(TestCsr.Create("CN=lucky")).WaitAsync(Patience);

            Assert.That(failed, Is.InstanceOf<SigningOutcome.Refused>());
            EstError error = ((SigningOutcome.Refused)failed).Error;
            Assert.Multiple(() =>
            {
                Assert.That(error.Kind, Is.EqualTo(EstErrorKind.Internal));
                Assert.That(error.Reason, Does.Not.Contain("unavailable"), "internal details stay in the log, not in the answer");
                Assert.That(next, Is.InstanceOf<SigningOutcome.Issued>(), "the loop survived the failure");
                Assert.That(logger.Entries.Any(entry => entry.Level == LogLevel.Error && entry.EventId.Id == 3003), Is.True);
            });
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task StartAsync_StoreUnreachable_JobHandedBackNeverRefusedAndWorkerCarriesOn()
    {
        var logger = new RecordingLogger<SigningWorker>();
        var store = new SwitchableStore(TestStore.Shared.Store) { FailNextCalls = 1 };
        using SigningWorker worker = CreateWorker(concurrency: 1, logger: logger, store: store);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            SigningOutcome deferred = await Submit(TestCsr.Create("CN=during-outage")).WaitAsync(Patience);
            SigningOutcome next = await Submit(TestCsr.Create("CN=after-outage")).WaitAsync(Patience);

            using (Assert.EnterMultipleScope())
            {
                // In this process nothing would redeliver the job, so its waiter is told to come back
                // (503); with Redis the entry stays pending and another delivery decides it.
                Assert.That(deferred, Is.InstanceOf<SigningOutcome.Refused>());
                Assert.That(((SigningOutcome.Refused)deferred).Error.Kind, Is.EqualTo(EstErrorKind.Unavailable), "an outage is not an internal error");
                Assert.That(next, Is.InstanceOf<SigningOutcome.Issued>(), "the loop survived the outage");
                Assert.That(logger.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.EventId.Id == 3006), Is.True);
                Assert.That(logger.Entries.Any(entry => entry.EventId.Id == 3003), Is.False, "not logged as a failed signing");
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task StopAsync_AfterStop_JobsStayQueuedAndSubmitterGetsPending()
    {
        using SigningWorker worker = CreateWorker(concurrency: 2);
        await worker.StartAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);

        Task<SigningOutcome> submitted = Submit(TestCsr.Create("CN=too-late"));
        Assert.That(_queue.Backlog, Is.EqualTo(1), "no loop took the job");
        _time.Advance(Budget);
        SigningOutcome outcome = await submitted.WaitAsync(Patience);

        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Pending>());
    }

    [Test]
    public async Task StopAsync_RunningWorker_EndsAllLoopsCleanly()
    {
        using SigningWorker worker = CreateWorker(concurrency: 4);
        await worker.StartAsync(CancellationToken.None);
        // One answered job proves the loops are running, so stopping exercises their shutdown path
        // rather than a start that was cancelled before it began.
        Assert.That(await Submit(TestCsr.Create("CN=before-stop")).WaitAsync(Patience), Is.InstanceOf<SigningOutcome.Issued>());

        await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.That(worker.ExecuteTask, Is.Not.Null);
        Assert.That(worker.ExecuteTask!.Status, Is.EqualTo(TaskStatus.RanToCompletion), "every loop ended without an error");
    }

    private SigningWorker CreateWorker(int concurrency, ICertificateSigner? signer = null, ILogger<SigningWorker>? logger = null, EstServer.Core.Lifecycle.ICertificateStore? store = null)
    {
        CertificateProfile profile = ModelProfiles.Device("devices", new TrustAnchors("none", []));
        EnrollmentPipeline processor = TestPipeline.Create(
            ModelProfiles.Catalog(profile, []), _pki.Ca, signer ?? _pki.Signer, _time, store: store);
        return new SigningWorker(_queue, processor, new SigningWorkerOptions { Concurrency = concurrency }, logger ?? NullLogger<SigningWorker>.Instance);
    }

    private Task<SigningOutcome> Submit(TestCsr csr)
    {
        string id = SigningRequestId.Derive(EnrollmentKind.Enroll, "devices", _client.RawData, csr.Der);
        var request = new SigningRequest(id, "devices", "v1", EnrollmentKind.Enroll, csr.Der, _client.RawData, _time.GetUtcNow());
        return _queue.SubmitAsync(request, Budget, CancellationToken.None).AsTask();
    }
}
