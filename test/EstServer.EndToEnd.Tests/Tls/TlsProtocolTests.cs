using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Tls;

/// <summary>
/// Enrollment over each TLS version the server offers (RFC 7030 §3.3.1): many device stacks still
/// speak only TLS 1.2. Raw exchanges show the negotiated version and the response framing as sent.
/// </summary>
[TestFixture]
public sealed class TlsProtocolTests
{
    private EstTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await EstTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [TestCase(SslProtocols.Tls12)]
    [TestCase(SslProtocols.Tls13)]
    public async Task SimpleEnroll_HttpClientLimitedToOneTlsVersion_Returns200(SslProtocols protocol)
    {
        using HttpClient client = _server.CreateClient(_server.DemoDevice, protocol);
        TestCsr csr = TestCsr.Create($"CN=e2e-httpclient-{protocol}");

        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }

    [TestCase(SslProtocols.Tls12)]
    [TestCase(SslProtocols.Tls13)]
    public async Task SimpleEnroll_RawRequestOverOneTlsVersion_NegotiatesItAndAnswersWithContentLength(SslProtocols protocol)
    {
        TestCsr csr = TestCsr.Create($"CN=e2e-raw-{protocol}");
        byte[] body = Encoding.ASCII.GetBytes(csr.Base64);

        RawHttpResponse response = await RawHttpsExchange.SendAsync(
            _server.BaseAddress, _server.TrustAnchor, _server.DemoDevice, protocol, "POST", EstRequests.SimpleEnroll, "application/pkcs10", body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Protocol, Is.EqualTo(protocol), "negotiated protocol");
            Assert.That(response.MutuallyAuthenticated, Is.True, "the device certificate was taken in the handshake");
            Assert.That(response.StatusCode, Is.EqualTo(200), $"{response.StatusLine}\n{response.BodyText}");
            Assert.That(response.Header("Content-Length"), Is.EqualTo(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(response.HeaderValues("Transfer-Encoding"), Is.Empty, "no chunked framing");
            Assert.That(response.Header("Content-Type"), Does.StartWith("application/pkcs7-mime"));
        }

        IReadOnlyList<X509Certificate2> certificates = CertsOnlyReader.ReadBase64(response.BodyText);
        Assert.That(certificates, Has.Count.EqualTo(1));
        IssuedCertificateAssert.CertifiesCsr(certificates[0], csr);
    }

    [Test]
    public async Task SimpleEnroll_Http2_Returns200OverHttp2()
    {
        using HttpClient client = _server.CreateClient(_server.DemoDevice);
        TestCsr csr = TestCsr.Create("CN=e2e-http2");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(EstRequests.SimpleEnroll, UriKind.Relative))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = EstRequests.Pkcs10(csr.Der),
        };

        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        }

        Assert.That(CertsOnlyReader.ReadBase64(body), Has.Count.EqualTo(1));
    }
}
