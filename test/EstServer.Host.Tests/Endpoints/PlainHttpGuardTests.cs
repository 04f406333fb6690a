using System.Net;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// The plain-HTTP listener serves only what relying parties fetch over HTTP (CRL, CA certificate, OCSP)
/// and the probes; EST (RFC 7030 §3.3) and the admin API are refused there before routing.
/// </summary>
[TestFixture]
public sealed class PlainHttpGuardTests
{
    private const string HttpsOnly = "this path is served over HTTPS only\n";

    private EstHostFactory _factory = null!;
    private HttpClient _plain = null!;
    private string _keyId = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = RevocationHost.Create();
        _plain = _factory.CreatePlainHttpClient();
        _keyId = RevocationHost.IssuingCaKeyId(_factory);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _plain.Dispose();
        _factory.Dispose();
    }

    [TestCase("GET", "/.well-known/est/cacerts")]
    [TestCase("GET", "/.well-known/est/csrattrs")]
    [TestCase("POST", "/.well-known/est/simpleenroll")]
    [TestCase("GET", "/admin/v1/certificates")]
    [TestCase("POST", "/admin/v1/devices/x/block")]
    [TestCase("GET", "/no-such-path")]
    [TestCase("GET", "/crlx")]
    [TestCase("GET", "/ocspx")]
    public async Task PlainHttp_EstAdminOrUnknownPath_Returns404HttpsOnly(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));
        if (method == "POST")
        {
            request.Content = EstWire.Body("x");
        }

        using HttpResponseMessage response = await _plain.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(HttpsOnly));
        }
    }

    [Test]
    public async Task Https_Cacerts_IsServed()
    {
        using HttpClient https = _factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await https.GetAsync(EstWire.Path("/.well-known/est/cacerts"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same path over HTTPS");
    }

    [Test]
    public async Task PlainHttp_Crl_IsServed()
    {
        using HttpResponseMessage response = await RevocationHost.PollAsync(
            () => _plain.GetAsync(EstWire.Path($"/crl/{_keyId}.crl")), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkix-crl"));
        }
    }

    [Test]
    public async Task PlainHttp_CaCertificate_IsServed()
    {
        using HttpResponseMessage response = await _plain.GetAsync(EstWire.Path($"/ca/{_keyId}.crt"));

        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(RevocationHost.IssuingCaDer(_factory)));
    }

    [Test]
    public async Task PlainHttp_UnknownCrl_IsAnsweredByTheCrlRouteNotTheGuard()
    {
        using HttpResponseMessage response = await _plain.GetAsync(EstWire.Path("/crl/0000.crl"));

        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("no CRL here"));
    }

    [Test]
    public async Task PlainHttp_OcspPost_IsServed()
    {
        using var content = new ByteArrayContent(TestOcspRequest.Create(RevocationHost.IssuingCaDer(_factory), ["1"]));

        using HttpResponseMessage response = await _plain.PostAsync(EstWire.Path("/ocsp"), content);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(TestOcspRequest.Status(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(Org.BouncyCastle.Ocsp.OcspRespStatus.Successful));
        }
    }

    [Test]
    public async Task PlainHttp_OcspGet_IsServed()
    {
        string base64 = Uri.EscapeDataString(Convert.ToBase64String(TestOcspRequest.Create(RevocationHost.IssuingCaDer(_factory), ["1"])));

        using HttpResponseMessage response = await _plain.GetAsync(EstWire.Path("/ocsp/" + base64));

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/ocsp-response"));
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task PlainHttp_Probe_IsServed(string path)
    {
        using HttpResponseMessage response = await _plain.GetAsync(EstWire.Path(path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
