using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Limits;

/// <summary>Est:MaxRequestBodyBytes over real Kestrel: bodies beyond it get 413, with or without a Content-Length.</summary>
[TestFixture]
public sealed class RequestBodyLimitTests
{
    private const int Limit = 4096;

    private InProcessEstServer _server = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await InProcessEstServer.StartAsync($"--Est:MaxRequestBodyBytes={Limit}");
        _device = _server.CreateClient(_server.DemoDevice);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _device?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task SimpleEnroll_BodyOverLimitWithContentLength_Returns413()
    {
        using var content = new ByteArrayContent(OversizedBase64());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");

        using HttpResponseMessage response = await _device.PostAsync(new Uri(EstRequests.SimpleEnroll, UriKind.Relative), content);

        await EstAssert.RefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, $"{Limit} bytes");
    }

    [Test]
    public async Task SimpleEnroll_ChunkedBodyOverLimit_Returns413()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(EstRequests.SimpleEnroll, UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(OversizedBase64())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await _device.SendAsync(request);

        await EstAssert.RefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, $"{Limit} bytes");
    }

    [Test]
    public async Task SimpleEnroll_RsaCsrWithinLimit_Returns200()
    {
        TestCsr csr = TestCsr.Create("CN=e2e-small-enough, O=EstServer E2E", TestKeyType.Rsa2048);
        Assert.That(csr.Base64, Has.Length.LessThan(Limit), "precondition: the CSR fits");

        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }

    /// <summary>Twice the limit of base64 characters: well-formed text, far too long.</summary>
    private static byte[] OversizedBase64() => System.Text.Encoding.ASCII.GetBytes(new string('A', 2 * Limit));
}
