using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Tls;

/// <summary>Devices that open a new TLS connection for every request and close it after the answer.</summary>
[TestFixture]
public sealed class ConnectionPerRequestTests
{
    private const int Enrollments = 5;

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
    public async Task SimpleEnroll_SequentialRequestsWithConnectionClose_AllReturn200()
    {
        using HttpClient client = _server.CreateClient(_server.DemoDevice, newConnectionPerRequest: true);
        var serials = new List<string>();
        for (int i = 0; i < Enrollments; i++)
        {
            TestCsr csr = TestCsr.Create($"CN=e2e-close-{i}");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(EstRequests.SimpleEnroll, UriKind.Relative))
            {
                Content = EstRequests.Pkcs10(csr.Der),
            };
            request.Headers.ConnectionClose = true;

            using HttpResponseMessage response = await client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"enrollment {i}: {body}");
                Assert.That(response.Headers.ConnectionClose, Is.True, $"enrollment {i}: the server closes as asked");
            }

            using X509Certificate2 issued = CertsOnlyReader.ReadBase64(body).Single();
            IssuedCertificateAssert.CertifiesCsr(issued, csr);
            serials.Add(issued.SerialNumber);
        }

        Assert.That(serials, Is.Unique.And.Count.EqualTo(Enrollments));
    }

    [Test]
    public async Task SimpleEnroll_SequentialRawConnections_EachGetsItsOwnHandshakeAndAnswer()
    {
        var statuses = new List<int>();
        for (int i = 0; i < Enrollments; i++)
        {
            byte[] body = System.Text.Encoding.ASCII.GetBytes(TestCsr.Create($"CN=e2e-raw-close-{i}").Base64);
            RawHttpResponse response = await RawHttpsExchange.SendAsync(
                _server.BaseAddress, _server.TrustAnchor, _server.DemoDevice, System.Security.Authentication.SslProtocols.None,
                "POST", EstRequests.SimpleEnroll, "application/pkcs10", body);
            statuses.Add(response.StatusCode);
            Assert.That(response.Header("Connection"), Is.EqualTo("close").IgnoreCase, $"enrollment {i}");
        }

        Assert.That(statuses, Is.All.EqualTo(200));
    }
}
