using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Http;

/// <summary>
/// Rate limits on the EST routes (token buckets, Est:RateLimits): per client certificate, per source
/// address, and re-enrollment attempts per certificate. A refusal is 429 with Retry-After (the time one
/// token takes to come back) and a one-line reason; health, readiness and metrics are never limited.
/// Each test presents certificates or addresses of its own, so each starts with full buckets.
/// </summary>
[TestFixture]
public sealed class EstRateLimitingTests
{
    private const string TooMany = "too many requests; slow down and retry after the indicated time\n";

    private EstHostFactory _perCertificate = null!;
    private EstHostFactory _perAddressAndReenroll = null!;
    private X509Certificate2 _manufacturer = null!;
    private int _devices;

    [OneTimeSetUp]
    public void StartServers()
    {
        // 3 per minute: a token every 20 s. 2 per minute per address: every 30 s. 2 re-enrollments an hour: every 1800 s.
        _perCertificate = new EstHostFactory(
            settings: new Dictionary<string, string?> { ["Est:RateLimits:PerClientCertificatePerMinute"] = "3" },
            profiles: [new TestProfile { Name = "limited", Default = true }]);
        _perAddressAndReenroll = new EstHostFactory(
            settings: new Dictionary<string, string?>
            {
                ["Est:RateLimits:PerAddressPerMinute"] = "2",
                ["Est:RateLimits:PerClientCertificatePerMinute"] = "0",
                ["Est:RateLimits:ReenrollPerCertificatePerHour"] = "2",
            },
            profiles: [new TestProfile { Name = "limited", Default = true }]);
        _perCertificate.Started();
        _perAddressAndReenroll.Started();
        _manufacturer = TestCertificates.LoadPem(_perCertificate.DevPki.ManufacturerCaCertificate, _perCertificate.DevPki.ManufacturerCaKey);
    }

    [OneTimeTearDown]
    public void StopServers()
    {
        _manufacturer.Dispose();
        _perAddressAndReenroll.Dispose();
        _perCertificate.Dispose();
    }

    [Test]
    public async Task PerClientCertificate_FourthEstRequestWithinAMinute_Returns429WithRetryAfterAndReason()
    {
        using X509Certificate2 device = NewDevice();
        using HttpClient client = _perCertificate.CreateClientPresenting(device);
        HttpStatusCode[] allowed =
        [
            await StatusAsync(client.GetAsync(EstWire.Path("/.well-known/est/cacerts"))),
            await StatusAsync(client.GetAsync(EstWire.Path("/.well-known/est/csrattrs"))),
            await StatusAsync(client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=limited-1").Base64))),
        ];

        using HttpResponseMessage limited = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=limited-2").Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.OK));
            await AssertLimitedAsync(limited, retryAfterSeconds: 20);
        }
    }

    [Test]
    public async Task PerClientCertificate_OneCertificateLimited_AnotherStillSucceeds()
    {
        using X509Certificate2 limitedDevice = NewDevice();
        using X509Certificate2 otherDevice = NewDevice();
        using HttpClient limited = _perCertificate.CreateClientPresenting(limitedDevice);
        using HttpClient other = _perCertificate.CreateClientPresenting(otherDevice);
        HttpStatusCode last = HttpStatusCode.OK;
        for (int i = 0; i < 4; i++)
        {
            last = await StatusAsync(limited.GetAsync(EstWire.Path("/.well-known/est/cacerts")));
        }

        using HttpResponseMessage response = await other.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=limited-other").Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(last, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task PerClientCertificate_LimitedCertificate_IsLimitedOnTheSameRouteSpelledInAnotherCase()
    {
        using X509Certificate2 device = NewDevice();
        using HttpClient client = _perCertificate.CreateClientPresenting(device);
        for (int i = 0; i < 3; i++)
        {
            (await client.GetAsync(EstWire.Path("/.well-known/est/cacerts"))).Dispose();
        }

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/.WELL-KNOWN/EST/cacerts"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "routing matches paths case-insensitively, so the limiter must too");
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    [TestCase("/metrics")]
    public async Task PerClientCertificate_LimitedCertificate_IsNeverLimitedOnProbesOrMetrics(string path)
    {
        using X509Certificate2 device = NewDevice();
        using HttpClient client = _perCertificate.CreateClientPresenting(device);
        for (int i = 0; i < 4; i++)
        {
            (await client.GetAsync(EstWire.Path("/.well-known/est/cacerts"))).Dispose();
        }

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 10; i++)
        {
            statuses.Add(await StatusAsync(client.GetAsync(EstWire.Path(path))));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StatusAsync(client.GetAsync(EstWire.Path("/.well-known/est/cacerts"))), Is.EqualTo(HttpStatusCode.TooManyRequests), "the certificate is limited");
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task PerClientCertificate_Refusal_IsCountedAsARateLimitRejection()
    {
        using X509Certificate2 device = NewDevice();
        using HttpClient client = _perCertificate.CreateClientPresenting(device);
        using HttpClient anonymous = _perCertificate.CreateClientPresenting(null);
        PrometheusText before = PrometheusText.Parse(await anonymous.GetStringAsync(EstWire.Path("/metrics")));

        for (int i = 0; i < 5; i++)
        {
            (await client.GetAsync(EstWire.Path("/.well-known/est/cacerts"))).Dispose();
        }

        PrometheusText after = PrometheusText.Parse(await anonymous.GetStringAsync(EstWire.Path("/metrics")));

        (string, string)[] labels = [("operation", "rate_limit"), ("reason", "too_many_requests")];
        Assert.That(after.Value("est_rejections_total", labels) - before.Value("est_rejections_total", labels), Is.EqualTo(2));
    }

    [Test]
    public async Task PerAddress_ThirdEstRequestFromOneAddress_Returns429WhileAnotherAddressSucceeds()
    {
        using HttpClient first = _perAddressAndReenroll.CreateClientPresenting(null, "192.0.2.10");
        using HttpClient second = _perAddressAndReenroll.CreateClientPresenting(null, "192.0.2.11");
        HttpStatusCode[] allowed =
        [
            await StatusAsync(first.GetAsync(EstWire.Path("/.well-known/est/cacerts"))),
            await StatusAsync(first.GetAsync(EstWire.Path("/.well-known/est/cacerts"))),
        ];

        using HttpResponseMessage limited = await first.GetAsync(EstWire.Path("/.well-known/est/cacerts"));
        using HttpResponseMessage other = await second.GetAsync(EstWire.Path("/.well-known/est/cacerts"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.OK));
            await AssertLimitedAsync(limited, retryAfterSeconds: 30);
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task PerClientCertificate_SetToZero_IsOff()
    {
        using X509Certificate2 device = _perAddressAndReenroll.LoadDeviceIdentity();
        using HttpClient client = _perAddressAndReenroll.CreateClientPresenting(device);
        var statuses = new List<HttpStatusCode>();

        for (int i = 0; i < 8; i++)
        {
            statuses.Add(await StatusAsync(client.GetAsync(EstWire.Path("/.well-known/est/cacerts"))));
        }

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ReenrollPerCertificate_ThirdAttemptWithinTheHour_Returns429WhileOtherOperationsSucceed()
    {
        using X509Certificate2 issuingCa = _perAddressAndReenroll.LoadIssuingCa();
        using X509Certificate2 current = Operational(issuingCa, "CN=renews-often");
        using HttpClient client = _perAddressAndReenroll.CreateClientPresenting(current);
        HttpStatusCode[] allowed =
        [
            await StatusAsync(client.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=renews-often").Base64))),
            await StatusAsync(client.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=renews-often").Base64))),
        ];

        using HttpResponseMessage limited = await client.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=renews-often").Base64));
        using HttpResponseMessage cacerts = await client.GetAsync(EstWire.Path("/.well-known/est/cacerts"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.OK));
            await AssertLimitedAsync(limited, retryAfterSeconds: 1800);
            Assert.That(cacerts.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [TestCase("/.well-known/est/SimpleReenroll")]
    [TestCase("/.well-known/est/simplereenroll/")]
    public async Task ReenrollPerCertificate_ThirdAttemptOnTheSameRouteSpelledDifferently_Returns429(string path)
    {
        using X509Certificate2 issuingCa = _perAddressAndReenroll.LoadIssuingCa();
        using X509Certificate2 current = Operational(issuingCa, "CN=renews-spelled");
        using HttpClient client = _perAddressAndReenroll.CreateClientPresenting(current);
        for (int i = 0; i < 2; i++)
        {
            (await client.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=renews-spelled").Base64))).Dispose();
        }

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(path), EstWire.Body(TestCsr.Create("CN=renews-spelled").Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the route serves simplereenroll, so the re-enrollment limit applies");
    }

    [Test]
    public async Task ReenrollPerCertificate_OneCertificateLimited_AnotherStillRenews()
    {
        using X509Certificate2 issuingCa = _perAddressAndReenroll.LoadIssuingCa();
        using X509Certificate2 first = Operational(issuingCa, "CN=renews-first");
        using X509Certificate2 second = Operational(issuingCa, "CN=renews-second");
        using HttpClient firstClient = _perAddressAndReenroll.CreateClientPresenting(first);
        using HttpClient secondClient = _perAddressAndReenroll.CreateClientPresenting(second);
        HttpStatusCode last = HttpStatusCode.OK;
        for (int i = 0; i < 3; i++)
        {
            last = await StatusAsync(firstClient.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=renews-first").Base64)));
        }

        using HttpResponseMessage response = await secondClient.PostAsync(EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=renews-second").Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(last, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A certificate this server's CA issued under the test profile, as if enrolled a minute ago.</summary>
    private static X509Certificate2 Operational(X509Certificate2 issuingCa, string subject) =>
        TestCertificates.CreateClient(issuingCa, subject, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30), policyOids: [TestProfile.DefaultPolicyOid]);

    /// <summary>Another device identity from the dev manufacturer CA: a certificate of its own, so buckets of its own.</summary>
    private X509Certificate2 NewDevice() =>
        DevCertificateFactory.CreateDevice(
            _manufacturer, $"rate-device-{Interlocked.Increment(ref _devices):D4}", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage response = await request;
        return response.StatusCode;
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response, int retryAfterSeconds)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(retryAfterSeconds)));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(TooMany));
    }
}
