using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Enrollment;

/// <summary>POST /simpleenroll (RFC 7030 §4.2.1) by the demo device, its IDevID as the TLS client certificate.</summary>
[TestFixture]
public sealed class SimpleEnrollTests
{
    private EstTestServer _server = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await EstTestServer.StartAsync();
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
    public async Task SimpleEnroll_TrustedDemoDevice_Returns200CertsOnlyWithContentLength()
    {
        TestCsr csr = TestCsr.Create("CN=e2e-enroll-headers, O=EstServer E2E");
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, EstRequests.SimpleEnroll, csr);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), System.Text.Encoding.UTF8.GetString(body));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkcs7-mime"));
            Assert.That(response.Content.Headers.ContentType?.Parameters.SingleOrDefault(p => p.Name == "smime-type")?.Value, Is.EqualTo("certs-only"));
            Assert.That(response.Headers.TransferEncodingChunked, Is.Not.True);
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
        }
    }

    [Test]
    public async Task SimpleEnroll_TrustedDemoDevice_CertificateChainsToTrustAnchorViaIssuingCa()
    {
        TestCsr csr = TestCsr.Create("CN=e2e-enroll-chain, O=EstServer E2E");
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, _server.IssuingCa, _server.TrustAnchor);
    }

    [Test]
    public async Task SimpleEnroll_TrustedDemoDevice_CertificateHasCsrKeyAndSubject()
    {
        TestCsr csr = TestCsr.Create("CN=e2e-enroll-subject, OU=Line 7, O=EstServer E2E");
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }

    [Test]
    public async Task SimpleEnroll_TrustedDemoDevice_CertificateIsClientAuthEndEntity()
    {
        TestCsr csr = TestCsr.Create("CN=e2e-enroll-profile, O=EstServer E2E");
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.IsClientAuthEndEntity(issued);
    }

    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    [TestCase(TestKeyType.Ed25519)]
    public async Task SimpleEnroll_OtherAllowedKeyTypes_Returns200ForThatKey(TestKeyType keyType)
    {
        // One attribute: the profile writes subject attributes in its own order (O before CN), and the
        // Ed25519 request is encoded by BouncyCastle in string order, CN first.
        TestCsr csr = TestCsr.Create($"CN=e2e-enroll-{keyType}", keyType);
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, _server.IssuingCa, _server.TrustAnchor);
    }

    [Test]
    public async Task SimpleEnroll_TwoEnrollmentsOfOneDevice_IssueDistinctSerials()
    {
        using X509Certificate2 first = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, TestCsr.Create("CN=e2e-enroll-serial-a"));
        using X509Certificate2 second = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, TestCsr.Create("CN=e2e-enroll-serial-b"));

        Assert.That(second.SerialNumber, Is.Not.EqualTo(first.SerialNumber));
    }

    [Test]
    public async Task SimpleEnroll_SameRequestRetried_ReturnsSameCertificate()
    {
        // RFC 7030 §4.2.3: a client that lost the answer repeats the same request; it must not mint twice.
        TestCsr csr = TestCsr.Create("CN=e2e-enroll-retry");
        using X509Certificate2 first = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);
        using X509Certificate2 retried = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        Assert.That(retried.RawData, Is.EqualTo(first.RawData));
    }

    [Test]
    public async Task SimpleEnroll_ConcurrentRequestsOnSeparateConnections_AllReturn200()
    {
        const int Requests = 16;
        TestCsr[] csrs = Enumerable.Range(0, Requests).Select(i => TestCsr.Create($"CN=e2e-concurrent-{i}")).ToArray();
        HttpClient[] clients = csrs.Select(_ => _server.CreateClient(_server.DemoDevice)).ToArray();
        try
        {
            X509Certificate2[] issued = await Task.WhenAll(csrs.Select((csr, i) => EstRequests.EnrollAsync(clients[i], EstRequests.SimpleEnroll, csr)));

            using (Assert.EnterMultipleScope())
            {
                for (int i = 0; i < Requests; i++)
                {
                    IssuedCertificateAssert.CertifiesCsr(issued[i], csrs[i]);
                }

                Assert.That(issued.Select(c => c.SerialNumber), Is.Unique);
            }

            foreach (X509Certificate2 certificate in issued)
            {
                certificate.Dispose();
            }
        }
        finally
        {
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Test]
    public async Task SimpleEnroll_EmptySubjectWithSubjectAltName_Returns200WithCriticalSan()
    {
        TestCsr csr = TestCsr.Create("", dnsNames: ["device-7.e2e.example"]);
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        X509SubjectAlternativeNameExtension? san = issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.SubjectName.RawData, Is.EqualTo(new byte[] { 0x30, 0x00 }), "empty subject");
            Assert.That(san?.Critical, Is.True, "RFC 5280 §4.2.1.6: critical when the subject is empty");
            Assert.That(san?.EnumerateDnsNames(), Is.EqualTo(new[] { "device-7.e2e.example" }));
        }

        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, _server.IssuingCa, _server.TrustAnchor);
    }
}
