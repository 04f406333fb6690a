using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Hardening;

/// <summary>
/// The rate limiter the hostile campaign turns off: per client certificate it answers 429 with
/// Retry-After and a one-line reason, only to that client, never on /healthz, and whatever the spelling
/// of a path the router still sends to an EST endpoint.
/// </summary>
[TestFixture]
public sealed class RateLimitTests
{
    private const int PerCertificatePerMinute = 5;
    private const int ReenrollPerHour = 2;

    private static int _devices;

    private EstTestServer _server = null!;
    private X509Certificate2 _manufacturer = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EstTestServer.StartAsync(new()
        {
            Settings =
            [
                $"--Est:RateLimits:PerClientCertificatePerMinute={PerCertificatePerMinute}",
                "--Est:RateLimits:PerAddressPerMinute=0",
                $"--Est:RateLimits:ReenrollPerCertificatePerHour={ReenrollPerHour}",
            ],
        });
        _manufacturer = _server.LoadManufacturerCa();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _manufacturer?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task CaCerts_MoreRequestsThanThePerCertificateLimit_Returns429WithRetryAfter()
    {
        using X509Certificate2 device = NewDevice("rl-basic");
        using HttpClient client = _server.CreateClient(device);

        List<HttpStatusCode> statuses = await ExhaustAsync(client);
        using HttpResponseMessage limited = await client.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK), "the bucket starts full");
            Assert.That(limited.Headers.RetryAfter?.Delta?.TotalSeconds, Is.GreaterThanOrEqualTo(1), "Retry-After in whole seconds");
        }

        await EstAssert.RefusedAsync(limited, HttpStatusCode.TooManyRequests, "too many requests");
    }

    [Test]
    public async Task CaCerts_AnotherClientOverItsLimit_Returns200()
    {
        using X509Certificate2 hostile = NewDevice("rl-hostile");
        using X509Certificate2 legit = NewDevice("rl-legit");
        using HttpClient hostileClient = _server.CreateClient(hostile);
        using HttpClient legitClient = _server.CreateClient(legit);
        await ExhaustAsync(hostileClient);
        using HttpResponseMessage hostileAgain = await hostileClient.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        using HttpResponseMessage response = await legitClient.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hostileAgain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "precondition: the other client is limited");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Healthz_ClientOverItsLimit_Returns200()
    {
        using X509Certificate2 device = NewDevice("rl-health");
        using HttpClient client = _server.CreateClient(device);
        await ExhaustAsync(client);
        using HttpResponseMessage limited = await client.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        using HttpResponseMessage health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "precondition: the client is limited");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    /// <summary>The router matches path literals ignoring case, so the limiter must too.</summary>
    [TestCase("/.WELL-KNOWN/EST/CACERTS")]
    [TestCase("/.well-known/EST/cacerts")]
    public async Task CaCerts_OtherCaseSpellingOverTheLimit_Returns429(string path)
    {
        using X509Certificate2 device = NewDevice("rl-case");
        using HttpClient client = _server.CreateClient(device);
        await ExhaustAsync(client);
        using HttpResponseMessage limited = await client.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "precondition: the client is limited");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), $"{path} reached an EST endpoint past the limit: {body[..Math.Min(body.Length, 80)]}");
        }
    }

    /// <summary>The hourly re-enrollment limit, then the same operation with a trailing slash (which the router also matches).</summary>
    [TestCase(EstRequests.SimpleReenroll)]
    [TestCase(EstRequests.SimpleReenroll + "/")]
    public async Task SimpleReenroll_OverTheHourlyLimit_Returns429(string path)
    {
        string subject = "CN=" + UniqueName("rl-reenroll");
        using X509Certificate2 device = NewDevice("rl-reenroll");
        using HttpClient deviceClient = _server.CreateClient(device);
        TestCsr first = TestCsr.Create(subject);
        using X509Certificate2 issued = await EstRequests.EnrollAsync(deviceClient, EstRequests.SimpleEnroll, first);
        using X509Certificate2 operational = EstRequests.WithKey(issued, first);
        using HttpClient client = _server.CreateClient(operational);
        var allowed = new List<HttpStatusCode>();
        for (int i = 0; i < ReenrollPerHour; i++)
        {
            using HttpResponseMessage renewed = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create(subject));
            allowed.Add(renewed.StatusCode);
        }

        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, path, TestCsr.Create(subject));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(allowed, Is.All.EqualTo(HttpStatusCode.OK), "precondition: renewals within the limit");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), $"{path} past the hourly limit: {body[..Math.Min(body.Length, 80)]}");
        }
    }

    private static string UniqueName(string purpose) => $"{purpose}-{Interlocked.Increment(ref _devices).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A new device identity, so each test has a bucket of its own (the dev PKI's CA starts minutes ago: so does the device).</summary>
    private X509Certificate2 NewDevice(string purpose)
    {
        string name = UniqueName(purpose);
        return TestCertificates.CreateClient(_manufacturer, $"CN={name}, OID.2.5.4.5={name.ToUpperInvariant()}", notBefore: _manufacturer.NotBefore);
    }

    /// <summary>Spends the client's whole bucket on cacerts; returns the statuses (all 200 while the bucket lasted).</summary>
    private static async Task<List<HttpStatusCode>> ExhaustAsync(HttpClient client)
    {
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < PerCertificatePerMinute; i++)
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
