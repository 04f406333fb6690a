using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Lifecycle;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Ocsp;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// The OCSP responder route (RFC 6960 Appendix A: POST, and GET with the base64 request in the path)
/// answering for certificates the host enrolled, before and after a revocation in the store.
/// </summary>
[TestFixture]
public sealed class RevocationRoutesOcspTests
{
    private EstHostFactory _factory = null!;
    private HttpClient _client = null!;
    private byte[] _issuingCa = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = RevocationHost.Create();
        _client = _factory.CreateClientPresenting(null);
        _issuingCa = RevocationHost.IssuingCaDer(_factory);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task OcspPost_EnrolledCertificate_ReturnsSuccessfulGoodSignedByAResponderTheCaIssued()
    {
        using X509Certificate2 issued = await RevocationHost.EnrollAsync(_factory, "CN=ocsp-good");
        string serial = RevocationHost.Serial(issued);

        using HttpResponseMessage response = await PostAsync(TestOcspRequest.Create(_issuingCa, [serial]));
        byte[] answer = await response.Content.ReadAsByteArrayAsync();

        BasicOcspResp basic = TestOcspRequest.Basic(answer);
        Org.BouncyCastle.X509.X509Certificate responder = basic.GetCerts().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/ocsp-response"));
            Assert.That(TestOcspRequest.Status(answer), Is.EqualTo(OcspRespStatus.Successful));
            Assert.That(basic.Responses.Single().GetCertID().SerialNumber.ToString(16), Is.EqualTo(serial));
            Assert.That(basic.Responses.Single().GetCertStatus(), Is.Null, "null is BouncyCastle's good");
            Assert.That(basic.Verify(responder.GetPublicKey()), Is.True);
            Assert.DoesNotThrow(() => responder.Verify(new Org.BouncyCastle.X509.X509Certificate(_issuingCa).GetPublicKey()), "a delegated responder issued by the CA");
        }
    }

    [Test]
    public async Task OcspPost_AfterRevokingThroughTheStore_ReturnsRevokedWithinTwoSeconds()
    {
        using X509Certificate2 issued = await RevocationHost.EnrollAsync(_factory, "CN=ocsp-revoked");
        string serial = RevocationHost.Serial(issued);
        byte[] request = TestOcspRequest.Create(_issuingCa, [serial]);
        using (HttpResponseMessage before = await PostAsync(request))
        {
            Assert.That(TestOcspRequest.Basic(await before.Content.ReadAsByteArrayAsync()).Responses.Single().GetCertStatus(), Is.Null, "good before the revocation");
        }

        Assert.That(_factory.Services.GetRequiredService<ICertificateAdmin>().Revoke(serial, RevocationReason.KeyCompromise, DateTimeOffset.UtcNow, "test"),
            Is.InstanceOf<RevokeResult.Revoked>());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        object? status = await RevocationHost.PollAsync(
            async () =>
            {
                using HttpResponseMessage response = await PostAsync(request);
                return TestOcspRequest.Basic(await response.Content.ReadAsByteArrayAsync()).Responses.Single().GetCertStatus();
            },
            status => status is RevokedStatus,
            TimeSpan.FromSeconds(2.5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.InstanceOf<RevokedStatus>(), $"still not revoked after {clock.Elapsed}");
            Assert.That((status as RevokedStatus)?.RevocationReason, Is.EqualTo((int)RevocationReason.KeyCompromise));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task OcspGet_Base64RequestInPath_ReturnsSuccessfulGood(bool percentEncoded)
    {
        using X509Certificate2 issued = await RevocationHost.EnrollAsync(_factory, "CN=ocsp-get");
        string base64 = Convert.ToBase64String(TestOcspRequest.Create(_issuingCa, [RevocationHost.Serial(issued)]));

        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/ocsp/" + (percentEncoded ? Uri.EscapeDataString(base64) : base64)));
        byte[] answer = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(TestOcspRequest.Status(answer), Is.EqualTo(OcspRespStatus.Successful));
            Assert.That(TestOcspRequest.Basic(answer).Responses.Single().GetCertStatus(), Is.Null);
        }
    }

    [Test]
    public async Task OcspGet_UnescapedBase64WithDoubleSlash_ReturnsSuccessful()
    {
        // Clients that send the base64 as is put "//" in the path whenever the encoding has two slashes in a row.
        string base64 = Enumerable.Range(0, 10_000)
            .Select(_ => Convert.ToBase64String(TestOcspRequest.Create(_issuingCa, ["1"], nonce: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))))
            .First(encoded => encoded.Contains("//", StringComparison.Ordinal));

        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/ocsp/" + base64));

        Assert.That(TestOcspRequest.Status(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(OcspRespStatus.Successful));
    }

    [Test]
    public async Task OcspPost_UnknownSerial_ReturnsSuccessfulUnknown()
    {
        using HttpResponseMessage response = await PostAsync(TestOcspRequest.Create(_issuingCa, ["7e57ab1e0000000000000001"]));

        Assert.That(TestOcspRequest.Basic(await response.Content.ReadAsByteArrayAsync()).Responses.Single().GetCertStatus(), Is.InstanceOf<UnknownStatus>());
    }

    [Test]
    public async Task OcspPost_Garbage_ReturnsMalformedRequest()
    {
        using HttpResponseMessage response = await PostAsync("not an OCSP request"u8.ToArray());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an OCSP answer, not an HTTP error (RFC 6960 §2.3)");
            Assert.That(TestOcspRequest.Status(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(OcspRespStatus.MalformedRequest));
        }
    }

    [TestCase("!!!not-base64!!!")]
    [TestCase("bm90IGFuIE9DU1AgcmVxdWVzdA==")]
    public async Task OcspGet_GarbageInPath_ReturnsMalformedRequest(string segment)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/ocsp/" + segment));

        Assert.That(TestOcspRequest.Status(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(OcspRespStatus.MalformedRequest));
    }

    [Test]
    public async Task OcspPost_BodyOverTheLimit_ReturnsMalformedRequest()
    {
        using HttpResponseMessage response = await PostAsync(new byte[17 * 1024]);

        Assert.That(TestOcspRequest.Status(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(OcspRespStatus.MalformedRequest));
    }

    [TestCase("GET", "/ocsp", "POST")]
    [TestCase("PUT", "/ocsp", "POST")]
    [TestCase("POST", "/ocsp/MAA=", "GET")]
    [TestCase("DELETE", "/ocsp/MAA=", "GET")]
    public async Task Ocsp_WrongMethod_Returns405AllowingTheOtherForm(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));
        if (method != "GET")
        {
            request.Content = new ByteArrayContent([0x30, 0x00]);
        }

        using HttpResponseMessage response = await _client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { allow }));
        }
    }

    private Task<HttpResponseMessage> PostAsync(byte[] der)
    {
        var content = new ByteArrayContent(der);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        return _client.PostAsync(EstWire.Path("/ocsp"), content);
    }
}
