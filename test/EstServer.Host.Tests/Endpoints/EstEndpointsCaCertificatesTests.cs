using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Host.Tests.Support;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>/cacerts on the wire (RFC 7030 §4.1.3, RFC 8951 §3): open to all, base64 certs-only with the CA chain.</summary>
[TestFixture]
public sealed class EstEndpointsCaCertificatesTests
{
    private EstHostFactory _factory = null!;
    private HttpClient _client = null!;
    private HttpResponseMessage _response = null!;
    private byte[] _body = [];

    [OneTimeSetUp]
    public async Task FetchCaCertificates()
    {
        _factory = new EstHostFactory();
        _client = _factory.CreateClient();
        _response = await _client.GetAsync(EstWire.Path("/.well-known/est/cacerts"));
        _body = await _response.Content.ReadAsByteArrayAsync();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _response.Dispose();
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public void CaCerts_WithoutClientCertificate_Returns200()
    {
        Assert.That(_response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void CaCerts_Response_HasCertsOnlyContentType()
    {
        var contentType = _response.Content.Headers.ContentType;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(contentType?.MediaType, Is.EqualTo("application/pkcs7-mime"));
            Assert.That(contentType?.Parameters.Select(p => (p.Name, p.Value)), Is.EqualTo(new[] { ("smime-type", (string?)"certs-only") }));
        }
    }

    [Test]
    public void CaCerts_Response_HasContentLengthOfTheBody()
    {
        Assert.That(_response.Content.Headers.ContentLength, Is.EqualTo(_body.Length));
    }

    [Test]
    public void CaCerts_Response_IsNotCached()
    {
        Assert.That(_response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public void CaCerts_Body_IsBase64In64ColumnLfTerminatedLines()
    {
        string text = Encoding.ASCII.GetString(_body);
        string[] lines = text.Split('\n');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.EndWith("\n"));
            Assert.That(text, Does.Not.Contain("\r"));
            Assert.That(lines[^1], Is.Empty, "nothing after the last LF");
            Assert.That(lines[..^2].Select(line => line.Length), Is.All.EqualTo(64), "every line but the last is 64 columns");
            Assert.That(lines[^2].Length, Is.InRange(1, 64));
            Assert.That(lines[..^1], Is.All.Match("^[A-Za-z0-9+/]+=*$"));
        }
    }

    [Test]
    public void CaCerts_Body_HoldsExactlyTheIssuingCaAndTheRoot()
    {
        X509Certificate2Collection certificates = EstWire.ReadCertsOnly(Encoding.ASCII.GetString(_body));
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificateFromFile(_factory.DevPki.IssuingCaCertificate);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(_factory.DevPki.TrustAnchor);

        Assert.That(
            certificates.Select(certificate => Convert.ToBase64String(certificate.RawData)),
            Is.EquivalentTo(new[] { Convert.ToBase64String(issuing.RawData), Convert.ToBase64String(root.RawData) }));
    }

    [Test]
    public async Task CaCerts_RequestedAgain_ReturnsIdenticalBody()
    {
        byte[] again = await _client.GetByteArrayAsync(EstWire.Path("/.well-known/est/cacerts"));

        Assert.That(again, Is.EqualTo(_body));
    }
}
