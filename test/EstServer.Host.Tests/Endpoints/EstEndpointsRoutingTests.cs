using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>Which EST resources exist (RFC 7030 §3.2.2), and how missing ones and wrong methods are answered.</summary>
[TestFixture]
public sealed class EstEndpointsRoutingTests
{
    private EstHostFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = new EstHostFactory(profiles: [new TestProfile { Name = "field", Labels = ["field"], Default = true }]);
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestCase("/.well-known/est/cacerts")]
    [TestCase("/.well-known/est/field/cacerts")]
    public async Task CaCerts_UnlabelledOrConfiguredLabel_Returns200CertsOnly(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pkcs7-mime"));
        }
    }

    [Test]
    public async Task CaCerts_LabelledAndUnlabelled_ReturnTheSameCertificates()
    {
        string unlabelled = await _client.GetStringAsync(EstWire.Path("/.well-known/est/cacerts"));
        string labelled = await _client.GetStringAsync(EstWire.Path("/.well-known/est/field/cacerts"));

        Assert.That(labelled, Is.EqualTo(unlabelled));
    }

    [Test]
    public async Task SimpleEnroll_ConfiguredLabel_Returns200()
    {
        using X509Certificate2 device = _factory.LoadDeviceIdentity();
        using HttpClient client = _factory.CreateClientPresenting(device);
        TestCsr csr = TestCsr.Create("CN=labelled-device");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/field/simpleenroll"), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(csr.SubjectPublicKeyInfo));
    }

    [TestCase("/.well-known/est")]
    [TestCase("/.well-known/est/")]
    public async Task Get_EstRootItself_Returns404AskingForAnOperation(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path(path));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo("no EST operation given; use cacerts, csrattrs, simpleenroll or simplereenroll\n"));
        }
    }

    [TestCase("/.well-known/est/nosuch/cacerts", "GET")]
    [TestCase("/.well-known/est/nosuch/csrattrs", "GET")]
    [TestCase("/.well-known/est/nosuch/simpleenroll", "POST")]
    [TestCase("/.well-known/est/nosuch/simplereenroll", "POST")]
    public async Task AnyOperation_UnknownLabel_Returns404WithOneLineReason(string path, string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));
        using HttpResponseMessage response = await _client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo("unknown EST label 'nosuch'\n"));
        }
    }

    [Test]
    public async Task CaCerts_LabelDiffersOnlyInCase_Returns404()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/.well-known/est/FIELD/cacerts"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("/.well-known/est/nosuchop", "unknown EST operation 'nosuchop'\n")]
    [TestCase("/.well-known/est/field/nosuchop", "unknown EST operation 'field/nosuchop'\n")]
    [TestCase("/.well-known/est/field/cacerts/extra", "unknown EST operation 'field/cacerts/extra'\n")]
    public async Task Get_UnknownOperation_Returns404NamingIt(string path, string expectedBody)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path(path));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo(expectedBody));
        }
    }

    [TestCase("serverkeygen", "POST")]
    [TestCase("fullcmc", "POST")]
    public async Task OptionalOperation_NotImplemented_Returns404NamingTheOperation(string operation, string method)
    {
        foreach (string path in new[] { $"/.well-known/est/{operation}", $"/.well-known/est/field/{operation}" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));
            using HttpResponseMessage response = await _client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
                Assert.That(body, Is.EqualTo($"EST operation '{operation}' is not supported by this server\n"), path);
            }
        }
    }

    [TestCase("/.well-known/est/cacerts", "POST", "GET, HEAD")]
    [TestCase("/.well-known/est/cacerts", "PUT", "GET, HEAD")]
    [TestCase("/.well-known/est/cacerts", "DELETE", "GET, HEAD")]
    [TestCase("/.well-known/est/field/cacerts", "POST", "GET, HEAD")]
    [TestCase("/.well-known/est/csrattrs", "POST", "GET, HEAD")]
    [TestCase("/.well-known/est/field/csrattrs", "PUT", "GET, HEAD")]
    [TestCase("/.well-known/est/simpleenroll", "GET", "POST")]
    [TestCase("/.well-known/est/simplereenroll", "GET", "POST")]
    [TestCase("/.well-known/est/simpleenroll", "HEAD", "POST")]
    [TestCase("/.well-known/est/field/simpleenroll", "PUT", "POST")]
    public async Task AnyOperation_WrongMethod_Returns405WithAllowHeader(string path, string method, string allowed)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));
        using HttpResponseMessage response = await _client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(string.Join(", ", response.Content.Headers.Allow), Is.EqualTo(allowed));
            if (method != "HEAD")
            {
                // Kestrel drops a HEAD answer's body; TestServer passes it on, so it is not checked here.
                Assert.That(body, Is.EqualTo($"method {method} is not allowed here; use {allowed}\n"));
            }
        }
    }

    [TestCase("/.well-known/est/cacerts")]
    [TestCase("/.well-known/est/field/cacerts")]
    public async Task CaCerts_Head_Returns200WithTheHeadersOfGet(string path)
    {
        using HttpResponseMessage get = await _client.GetAsync(EstWire.Path(path));
        byte[] getBody = await get.Content.ReadAsByteArrayAsync();
        using var head = new HttpRequestMessage(HttpMethod.Head, EstWire.Path(path));
        using HttpResponseMessage response = await _client.SendAsync(head);

        // Kestrel drops a HEAD answer's body (the end-to-end tests see that); TestServer passes it on.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo(get.Content.Headers.ContentType?.ToString()));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(getBody.Length));
            Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo(get.Headers.CacheControl?.ToString()));
        }
    }

    [Test]
    public async Task SimpleEnroll_WrongMethodUnderUnknownLabel_Returns404BeforeMethodCheck()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/.well-known/est/nosuch/simpleenroll"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Get_PathOutsideEst_Returns404WithoutEstReason()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/cacerts"));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body, Is.Empty);
        }
    }
}
