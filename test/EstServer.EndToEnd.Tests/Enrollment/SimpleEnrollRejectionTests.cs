using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Enrollment;

/// <summary>
/// Refused initial enrollments: the TLS handshake completes (the server only asks for a certificate),
/// and the refusal is an HTTP status with a one-line text/plain reason (RFC 7030 §3.3.2).
/// </summary>
[TestFixture]
public sealed class SimpleEnrollRejectionTests
{
    private EstTestServer _server = null!;
    private X509Certificate2 _untrustedCa = null!;
    private X509Certificate2 _untrustedDevice = null!;
    private X509Certificate2 _expiredDevice = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EstTestServer.StartAsync();
        _untrustedCa = TestCertificates.CreateRootCa("CN=Unknown Maker IDevID CA, O=Not Trusted");
        _untrustedDevice = TestCertificates.CreateClient(_untrustedCa, "CN=rogue-device-0001, O=Not Trusted");
        // The manufacturer CA was made (backdated five minutes) when the server started, and a
        // certificate cannot start before its issuer: the expired device lived for its first minute.
        using X509Certificate2 manufacturer = _server.LoadManufacturerCa();
        var born = new DateTimeOffset(manufacturer.NotBefore.ToUniversalTime());
        _expiredDevice = TestCertificates.CreateClient(
            manufacturer,
            "CN=expired-device-0001, O=Demo Manufacturer",
            notBefore: born,
            notAfter: born.AddMinutes(1));
        Assert.That(_expiredDevice.NotAfter.ToUniversalTime(), Is.LessThan(DateTime.UtcNow), "the device certificate has expired");
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _untrustedDevice?.Dispose();
        _expiredDevice?.Dispose();
        _untrustedCa?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task SimpleEnroll_NoClientCertificate_Returns401()
    {
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=e2e-anonymous"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Unauthorized, "client certificate is required");
        Assert.That(response.Headers.WwwAuthenticate, Is.Not.Empty, "RFC 9110 §15.5.2: a 401 carries a challenge");
    }

    [Test]
    public async Task SimpleEnroll_UntrustedDevice_Returns403()
    {
        using HttpClient client = _server.CreateClient(_untrustedDevice);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=rogue-device-0001"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "not issued by a trusted device-identity CA");
    }

    [Test]
    public async Task SimpleEnroll_ExpiredDevice_Returns403WithExpiredReason()
    {
        using HttpClient client = _server.CreateClient(_expiredDevice);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=expired-device-0001"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "expired");
    }

    [Test]
    public async Task SimpleEnroll_TamperedCsr_Returns400()
    {
        TestCsr tampered = TestCsr.Create("CN=e2e-honest").WithTamperedSubject("CN=e2e-forged");
        using HttpClient client = _server.CreateClient(_server.DemoDevice);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, tampered);

        await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "proof of possession");
    }

    [Test]
    public async Task SimpleEnroll_TamperedCsrWithoutClientCertificate_Returns401BeforeLookingAtBody()
    {
        TestCsr tampered = TestCsr.Create("CN=e2e-honest").WithTamperedSubject("CN=e2e-forged");
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, tampered);

        await EstAssert.RefusedAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase("none", 401)]
    [TestCase("untrusted", 403)]
    [TestCase("expired", 403)]
    public async Task SimpleEnroll_RefusedClient_TlsHandshakeCompletesAndRefusalIsHttp(string identity, int status)
    {
        X509Certificate2? certificate = identity switch
        {
            "untrusted" => _untrustedDevice,
            "expired" => _expiredDevice,
            _ => null,
        };
        byte[] body = System.Text.Encoding.ASCII.GetBytes(TestCsr.Create("CN=e2e-raw-refused").Base64);

        RawHttpResponse response = await RawHttpsExchange.SendAsync(
            _server.BaseAddress, _server.TrustAnchor, certificate, SslProtocols.None, "POST", EstRequests.SimpleEnroll, "application/pkcs10", body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Protocol, Is.AnyOf(SslProtocols.Tls12, SslProtocols.Tls13));
            Assert.That(response.MutuallyAuthenticated, Is.EqualTo(certificate is not null), "the server took the certificate in the handshake");
            Assert.That(response.StatusCode, Is.EqualTo(status), response.BodyText);
            Assert.That(response.Header("Content-Type"), Does.StartWith("text/plain"));
            Assert.That(response.BodyText.TrimEnd('\n'), Is.Not.Empty.And.Not.Contain("\n"));
        }
    }
}
