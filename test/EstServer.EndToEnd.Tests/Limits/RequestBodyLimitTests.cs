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

    private EstTestServer _server = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EstTestServer.StartAsync(new() { Settings = [$"--Est:MaxRequestBodyBytes={Limit}"] });
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

    [TestCase(false)]
    [TestCase(true)]
    public async Task SimpleEnroll_BodyExactlyAtLimit_Returns200(bool chunked)
    {
        TestCsr csr = TestCsr.Create("CN=e2e-at-limit");
        using HttpRequestMessage request = PaddedRequest(csr, Limit, chunked);

        using HttpResponseMessage response = await _device.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using X509Certificate2 issued = CertsOnlyReader.ReadBase64(body).Single();
        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task SimpleEnroll_BodyOneByteOverLimit_Returns413(bool chunked)
    {
        using HttpRequestMessage request = PaddedRequest(TestCsr.Create("CN=e2e-over-limit"), Limit + 1, chunked);

        using HttpResponseMessage response = await _device.SendAsync(request);

        await EstAssert.RefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, $"{Limit} bytes");
    }

    [Test]
    public async Task SimpleEnroll_BodyWellWithinLimitSentInSmallChunks_Returns200()
    {
        // Three quarters of the limit, in 16-byte chunks: the limit is on the body, not on its framing.
        TestCsr csr = TestCsr.Create("CN=e2e-small-chunks");
        string base64 = csr.Base64;
        byte[] body = System.Text.Encoding.ASCII.GetBytes(base64 + new string('\n', (Limit * 3 / 4) - base64.Length));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(EstRequests.SimpleEnroll, UriKind.Relative))
        {
            Content = new SmallChunkContent(body, chunkSize: 16, "application/pkcs10"),
        };

        using HttpResponseMessage response = await _device.SendAsync(request);
        string answer = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{body.Length}-byte body under a {Limit}-byte limit: {answer}");
        using X509Certificate2 issued = CertsOnlyReader.ReadBase64(answer).Single();
        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }

    /// <summary>A valid CSR, padded with line breaks (which base64 bodies may carry, RFC 8951) to exactly <paramref name="size"/> bytes.</summary>
    private static HttpRequestMessage PaddedRequest(TestCsr csr, int size, bool chunked)
    {
        string base64 = csr.Base64;
        Assert.That(base64.Length, Is.LessThan(size), "precondition: the CSR fits");
        byte[] body = System.Text.Encoding.ASCII.GetBytes(base64 + new string('\n', size - base64.Length));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(EstRequests.SimpleEnroll, UriKind.Relative))
        {
            Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        request.Headers.TransferEncodingChunked = chunked;
        return request;
    }

    /// <summary>Twice the limit of base64 characters: well-formed text, far too long.</summary>
    private static byte[] OversizedBase64() => System.Text.Encoding.ASCII.GetBytes(new string('A', 2 * Limit));
}
