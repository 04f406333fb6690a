using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// RFC 7030 §4.2.3: with no signer running, an enrollment is answered 202 + Retry-After once the wait
/// budget is spent; the test then plays the signer itself, and the client's repeated request collects
/// the certificate. A full queue is 503 + Retry-After.
/// </summary>
[TestFixture]
public sealed class EstEndpointsPendingTests
{
    private const string SimpleEnroll = "/.well-known/est/simpleenroll";

    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void StartServerWithoutSigner()
    {
        _factory = new EstHostFactory(
            new Dictionary<string, string?>
            {
                ["Est:EnrollmentWaitBudget"] = "00:00:00.300",
                ["Est:RetryAfter"] = "00:00:07",
                ["Est:Signing:QueueCapacity"] = "2",
            },
            services => services.Remove(services.Single(descriptor => descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(SigningWorker))));
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
    }

    [TearDown]
    public void StopServer()
    {
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
    }

    [Test]
    public void Services_SignerRemoved_NoSigningWorkerRuns()
    {
        Assert.That(_factory.Services.GetServices<IHostedService>(), Has.None.InstanceOf<SigningWorker>());
    }

    [Test]
    public async Task SimpleEnroll_NotSignedWithinBudget_Returns202WithRetryAfter()
    {
        TestCsr csr = TestCsr.Create("CN=pending-device");

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
            Assert.That(body, Does.Contain("repeat the same request"));
        }
    }

    [Test]
    public async Task SimpleEnroll_RepeatedAfterTheJobWasSigned_Returns200WithTheCertificateAndIsIdempotent()
    {
        TestCsr csr = TestCsr.Create("CN=pending-then-signed");
        using HttpResponseMessage first = await PostAsync(csr);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        SigningRequest signed = await SignNextJobAsync();

        using HttpResponseMessage second = await PostAsync(csr);
        string secondBody = await second.Content.ReadAsStringAsync();
        using HttpResponseMessage third = await PostAsync(csr);
        string thirdBody = await third.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(signed.Kind, Is.EqualTo(EnrollmentKind.Enroll));
            Assert.That(signed.CsrDer, Is.EqualTo(csr.Der));
            Assert.That(signed.ClientCertificateDer, Is.EqualTo(_device.RawData));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), secondBody);
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK), thirdBody);
        }

        X509Certificate2Collection certificates = EstWire.ReadCertsOnly(secondBody);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificates, Has.Count.EqualTo(1));
            Assert.That(certificates[0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo));
            Assert.That(EstWire.ReadCertsOnly(thirdBody)[0].RawData, Is.EqualTo(certificates[0].RawData));
        }
    }

    [Test]
    public async Task SimpleEnroll_RepeatedWhileStillPending_JoinsTheQueuedJob()
    {
        TestCsr csr = TestCsr.Create("CN=pending-twice");
        InProcessSigningQueue queue = _factory.Services.GetRequiredService<InProcessSigningQueue>();

        using HttpResponseMessage first = await PostAsync(csr);
        using HttpResponseMessage second = await PostAsync(csr);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(queue.Backlog, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task SimpleEnroll_SignerRefusedAfter202_RetryIsLookedAtAfresh()
    {
        TestCsr csr = TestCsr.Create("CN=pending-refused");
        using HttpResponseMessage first = await PostAsync(csr);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            ISigningJobLease lease = await _factory.Services.GetRequiredService<ISigningJobSource>().LeaseAsync(timeout.Token);
            await lease.CompleteAsync(new SigningOutcome.Refused(Core.Errors.EstError.Forbidden("refused by the signer")), CancellationToken.None);
        }

        using HttpResponseMessage retry = await PostAsync(csr);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a refusal is not remembered: the retry is queued again");
            Assert.That(_factory.Services.GetRequiredService<InProcessSigningQueue>().Backlog, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task SimpleEnroll_QueueFull_Returns503WithRetryAfter()
    {
        using HttpResponseMessage first = await PostAsync(TestCsr.Create("CN=queued-1"));
        using HttpResponseMessage second = await PostAsync(TestCsr.Create("CN=queued-2"));

        using HttpResponseMessage third = await PostAsync(TestCsr.Create("CN=queued-3"));
        string body = await third.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(third.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(body, Is.EqualTo("the signing queue is full; try again later\n"));
        }
    }

    private Task<HttpResponseMessage> PostAsync(TestCsr csr) => _client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

    /// <summary>Does what the removed SigningWorker would do with the next queued job.</summary>
    private async Task<SigningRequest> SignNextJobAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        ISigningJobLease lease = await _factory.Services.GetRequiredService<ISigningJobSource>().LeaseAsync(timeout.Token);
        SigningOutcome outcome = SigningOutcome.From(_factory.Services.GetRequiredService<EnrollmentPipeline>().Sign(lease.Request));
        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
        await lease.CompleteAsync(outcome, CancellationToken.None);
        return lease.Request;
    }
}
