using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Observability;

/// <summary>
/// /metrics (Prometheus text, open without a client certificate): requests by operation, label and status,
/// rejections by reason, certificates issued by profile, the signing queue. The registry is one per
/// process, so each test compares a scrape before its requests with one after, under a label and a
/// profile name no other test uses.
/// </summary>
[TestFixture]
public sealed class EstMetricsTests
{
    private const string Label = "metricsprobe";
    private const string Profile = "metrics-probe";

    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;
    private HttpClient _anonymous = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = new EstHostFactory(profiles: [new TestProfile { Name = Profile, Labels = [Label] }]);
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
        _anonymous = _factory.CreateClientPresenting(null);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _anonymous.Dispose();
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Metrics_WithoutClientCertificate_Returns200PrometheusText()
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path("/metrics"));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Does.Contain("# TYPE est_requests_total counter\n"));
            Assert.That(() => PrometheusText.Parse(body), Throws.Nothing);
        }
    }

    [Test]
    public async Task Metrics_AfterEstRequests_CountsThemByOperationLabelAndStatus()
    {
        PrometheusText before = await ScrapeAsync();

        (await _anonymous.GetAsync(EstWire.Path($"/.well-known/est/{Label}/cacerts"))).Dispose();
        (await _anonymous.GetAsync(EstWire.Path($"/.well-known/est/{Label}/cacerts"))).Dispose();
        (await _anonymous.GetAsync(EstWire.Path($"/.well-known/est/{Label}/csrattrs"))).Dispose();
        using HttpResponseMessage issued = await _client.PostAsync(EstWire.Path($"/.well-known/est/{Label}/simpleenroll"), EstWire.Body(TestCsr.Create("CN=metrics-ok").Base64));
        using HttpResponseMessage bad = await _client.PostAsync(EstWire.Path($"/.well-known/est/{Label}/simpleenroll"), EstWire.Body("not a CSR"));
        using var putRequest = new HttpRequestMessage(HttpMethod.Put, EstWire.Path($"/.well-known/est/{Label}/cacerts"));
        using HttpResponseMessage put = await _anonymous.SendAsync(putRequest);
        PrometheusText after = await ScrapeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "cacerts"), ("label", Label), ("status", "200")), Is.EqualTo(2));
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "csrattrs"), ("label", Label), ("status", "200")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "simpleenroll"), ("label", Label), ("status", "200")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "simpleenroll"), ("label", Label), ("status", "400")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "cacerts"), ("label", Label), ("status", "405")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_request_duration_seconds_count", ("operation", "cacerts")), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Metrics_RouteSpelledInAnotherCase_IsCountedLikeAnyEstRequest()
    {
        PrometheusText before = await ScrapeAsync();

        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path($"/.WELL-KNOWN/EST/{Label}/cacerts"));
        PrometheusText after = await ScrapeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "routing matches paths case-insensitively");
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "cacerts"), ("label", Label), ("status", "200")), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Metrics_UnknownLabelOrOperation_NeverBecomeLabelValues()
    {
        PrometheusText before = await ScrapeAsync();

        (await _anonymous.GetAsync(EstWire.Path("/.well-known/est/client-chosen-xyz/cacerts"))).Dispose();
        (await _anonymous.GetAsync(EstWire.Path("/.well-known/est/client-chosen-xyz/made-up-operation"))).Dispose();
        PrometheusText after = await ScrapeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "cacerts"), ("label", ""), ("status", "404")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_requests_total", ("operation", "unknown"), ("label", ""), ("status", "404")), Is.EqualTo(1));
            Assert.That(
                after.Samples.SelectMany(sample => sample.Labels.Values),
                Has.None.Contains("client-chosen-xyz").And.None.Contains("made-up-operation"));
        }
    }

    [Test]
    public async Task Metrics_RefusedRequests_CountTheRejectionsByOperationAndReason()
    {
        PrometheusText before = await ScrapeAsync();

        (await _client.PostAsync(EstWire.Path($"/.well-known/est/{Label}/simpleenroll"), EstWire.Body("not a CSR"))).Dispose();
        (await _anonymous.PostAsync(EstWire.Path($"/.well-known/est/{Label}/simpleenroll"), EstWire.Body(TestCsr.Create("CN=metrics-anonymous").Base64))).Dispose();
        (await _client.PostAsync(EstWire.Path($"/.well-known/est/{Label}/simplereenroll"), EstWire.Body(TestCsr.Create("CN=metrics-idevid").Base64))).Dispose();
        PrometheusText after = await ScrapeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Delta(before, after, "est_rejections_total", ("operation", "simpleenroll"), ("reason", "bad_request")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_rejections_total", ("operation", "simpleenroll"), ("reason", "unauthorized")), Is.EqualTo(1));
            Assert.That(Delta(before, after, "est_rejections_total", ("operation", "simplereenroll"), ("reason", "forbidden")), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Metrics_IssuedCertificate_IsCountedUnderItsProfile()
    {
        PrometheusText before = await ScrapeAsync();
        double issuedBefore = before.Value("est_certificates_issued_total", ("profile", Profile));

        using HttpResponseMessage response = await _client.PostAsync(
            EstWire.Path($"/.well-known/est/{Label}/simpleenroll"), EstWire.Body(TestCsr.Create("CN=metrics-issued").Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        // The signer counts after it has handed the certificate over, so the answer can come first.
        PrometheusText after = await ScrapeUntilAsync(scrape => scrape.Value("est_certificates_issued_total", ("profile", Profile)) > issuedBefore);

        Assert.That(after.Value("est_certificates_issued_total", ("profile", Profile)) - issuedBefore, Is.EqualTo(1));
    }

    [Test]
    public async Task Metrics_IdleQueue_ExposesDepthAndOldestPendingAgeAsZero()
    {
        using HttpResponseMessage response = await _client.PostAsync(
            EstWire.Path($"/.well-known/est/{Label}/simpleenroll"), EstWire.Body(TestCsr.Create("CN=metrics-queue").Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        PrometheusText scrape = await ScrapeAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scrape.Find("est_queue_depth")?.Value, Is.Zero, "sampled at scrape: every job has been signed");
            Assert.That(scrape.Find("est_queue_oldest_pending_seconds")?.Value, Is.Zero);
        }
    }

    [Test]
    public async Task Metrics_Disabled_IsNotServed()
    {
        using var factory = new EstHostFactory(settings: new Dictionary<string, string?> { ["Est:Metrics:Enabled"] = "false" });
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/metrics"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string Name, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await _anonymous.GetStringAsync(EstWire.Path("/metrics")));

    /// <summary>Scrapes until <paramref name="condition"/> holds, for at most ten seconds; the caller asserts on the last scrape.</summary>
    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        PrometheusText scrape = await ScrapeAsync();
        while (!condition(scrape) && !deadline.IsCancellationRequested)
        {
            await Task.Yield();
            scrape = await ScrapeAsync();
        }

        return scrape;
    }
}
