using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// Who may enroll (RFC 7030 §3.3.2): a missing client certificate is 401 with a reason, an untrusted
/// one 403, and authentication is decided before the body is looked at.
/// </summary>
[TestFixture]
public sealed class EstEndpointsAuthenticationTests
{
    private EstHostFactory _factory = null!;
    private HttpClient _anonymous = null!;
    private X509Certificate2 _strangerRoot = null!;
    private X509Certificate2 _stranger = null!;
    private HttpClient _untrusted = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = new EstHostFactory().Started();
        _anonymous = _factory.CreateClientPresenting(null);
        _strangerRoot = TestCertificates.CreateRootCa("CN=Some Other Manufacturer CA");
        _stranger = TestCertificates.CreateClient(_strangerRoot, "CN=stranger-device");
        _untrusted = _factory.CreateClientPresenting(_stranger);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _untrusted.Dispose();
        _anonymous.Dispose();
        _stranger.Dispose();
        _strangerRoot.Dispose();
        _factory.Dispose();
    }

    [TestCase("simpleenroll")]
    [TestCase("simplereenroll")]
    public async Task Enroll_NoClientCertificate_Returns401WithReasonAndChallenge(string operation)
    {
        TestCsr csr = TestCsr.Create("CN=anonymous");

        using HttpResponseMessage response = await _anonymous.PostAsync(EstWire.Path($"/.well-known/est/{operation}"), EstWire.Body(csr.Base64));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("TLS-client-certificate"));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo("a TLS client certificate is required for this operation\n"));
        }
    }

    [Test]
    public async Task SimpleEnroll_CertificateFromUntrustedCa_Returns403NamingTheTrustedAnchors()
    {
        TestCsr csr = TestCsr.Create("CN=stranger-device");

        using HttpResponseMessage response = await _untrusted.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
            Assert.That(body, Is.EqualTo("client certificate is not issued by a trusted device-identity CA (dev:manufacturer)\n"));
        }
    }

    [Test]
    public async Task SimpleEnroll_SelfSignedCertificate_Returns403()
    {
        using X509Certificate2 selfSigned = TestCertificates.CreateRootCa("CN=self-made-device");
        using HttpClient client = _factory.CreateClientPresenting(selfSigned);
        TestCsr csr = TestCsr.Create("CN=self-made-device");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task SimpleEnroll_ExpiredDeviceIdentity_Returns403SayingExpired()
    {
        using X509Certificate2 manufacturer = TestCertificates.LoadPem(_factory.DevPki.ManufacturerCaCertificate, _factory.DevPki.ManufacturerCaKey);
        // The dev manufacturer CA was made minutes ago: the device's whole life fits in its first two minutes.
        DateTimeOffset caStart = new(manufacturer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        using X509Certificate2 expired = TestCertificates.CreateClient(manufacturer, "CN=expired-device", caStart.AddSeconds(1), caStart.AddMinutes(2));
        using HttpClient client = _factory.CreateClientPresenting(expired);
        TestCsr csr = TestCsr.Create("CN=expired-device");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body, Does.StartWith("client certificate expired at "));
        }
    }

    [Test]
    public async Task SimpleEnroll_AnotherDeviceOfTheManufacturer_Returns200()
    {
        using X509Certificate2 manufacturer = TestCertificates.LoadPem(_factory.DevPki.ManufacturerCaCertificate, _factory.DevPki.ManufacturerCaKey);
        // Like every IDevID of the dev PKI (IEEE 802.1AR), it carries its serial number, which the built-in profile copies.
        using X509Certificate2 device = TestCertificates.CreateClient(
            manufacturer, "CN=second-device, OID.2.5.4.5=SECOND-DEVICE", new DateTimeOffset(manufacturer.NotBefore.ToUniversalTime(), TimeSpan.Zero), DateTimeOffset.UtcNow.AddYears(1));
        using HttpClient client = _factory.CreateClientPresenting(device);
        TestCsr csr = TestCsr.Create("CN=second-device");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleEnroll_NoCertificateAndNoContentTypeAndGarbageBody_Returns401First()
    {
        using HttpResponseMessage response = await _anonymous.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body("*** not base64 ***", contentType: null));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SimpleEnroll_NoCertificateAndOversizedBody_Returns401First()
    {
        using HttpResponseMessage response = await _anonymous.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(new string('A', 200_000)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SimpleEnroll_UntrustedCertificateAndWrongContentType_Returns403First()
    {
        using HttpResponseMessage response = await _untrusted.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body("garbage", "text/plain"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task SimpleEnroll_NoCertificateUnderUnknownLabel_Returns404BeforeAuthentication()
    {
        using HttpResponseMessage response = await _anonymous.PostAsync(EstWire.Path("/.well-known/est/nosuch/simpleenroll"), EstWire.Body("garbage"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task SimpleEnroll_NoCertificateWithWrongMethod_Returns405BeforeAuthentication()
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path("/.well-known/est/simpleenroll"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task SimpleEnroll_Refused_LogsStatusReasonAndClient()
    {
        TestCsr csr = TestCsr.Create("CN=stranger-device");

        using HttpResponseMessage response = await _untrusted.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));

        Assert.That(
            _factory.Logs.Entries.Where(entry => entry.EventId.Id == 2001 && entry.Level == LogLevel.Warning).Select(entry => entry.Message),
            Has.Some.Contains("refused with 403").And.Some.Contains("CN=stranger-device").And.Some.Contains("not issued by a trusted device-identity CA"));
    }
}
