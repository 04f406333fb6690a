using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;

namespace EstServer.EndToEnd.Tests.CaCerts;

/// <summary>GET /cacerts (RFC 7030 §4.1) over real TLS, open to clients without a certificate.</summary>
[TestFixture]
public sealed class CaCertsTests
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

    [Test]
    public async Task CaCerts_NoClientCertificate_Returns200CertsOnly()
    {
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await client.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkcs7-mime"));
            Assert.That(response.Content.Headers.ContentType?.Parameters.SingleOrDefault(p => p.Name == "smime-type")?.Value, Is.EqualTo("certs-only"));
        }
    }

    [Test]
    public async Task CaCerts_NoClientCertificate_BodyIsIssuingCaAndTrustAnchor()
    {
        using HttpClient client = _server.CreateClient();
        string body = await client.GetStringAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));

        IReadOnlyList<X509Certificate2> certificates = CertsOnlyReader.ReadBase64(body);

        Assert.That(certificates.Select(c => c.Thumbprint),
            Is.EquivalentTo(new[] { _server.IssuingCa.Thumbprint, _server.TrustAnchor.Thumbprint }));
    }

    [Test]
    public async Task CaCerts_RawHttp11_HasContentLengthAndNoChunking()
    {
        RawHttpResponse response = await RawHttpsExchange.SendAsync(
            _server.BaseAddress, _server.TrustAnchor, clientCertificate: null, SslProtocols.None, "GET", EstRequests.CaCerts);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(200), response.StatusLine);
            Assert.That(response.Header("Content-Length"), Is.EqualTo(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(response.HeaderValues("Transfer-Encoding"), Is.Empty);
            Assert.That(response.MutuallyAuthenticated, Is.False, "no client certificate was sent");
            Assert.That(CertsOnlyReader.ReadBase64(response.BodyText), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task CaCerts_Post_Returns405WithAllowGetAndHead()
    {
        using HttpClient client = _server.CreateClient();
        using var content = new StringContent("");
        using HttpResponseMessage response = await client.PostAsync(new Uri(EstRequests.CaCerts, UriKind.Relative), content);

        await EstAssert.RefusedAsync(response, HttpStatusCode.MethodNotAllowed, "use GET");
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD" }), "HEAD is answered wherever GET is (RFC 9110 §9.3.2)");
    }
}
