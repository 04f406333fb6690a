using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Admin;

/// <summary>
/// Who may use /admin/v1: only clients whose certificate chains to the admin CA, is valid now and is
/// meant for client authentication; devices never, and an admin certificate never enrolls.
/// </summary>
[TestFixture]
public sealed class AdminEndpointsAuthenticationTests
{
    private TestAdminPki _admin = null!;
    private EstHostFactory _factory = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _admin = new TestAdminPki();
        _factory = new EstHostFactory(new Dictionary<string, string?> { ["Est:Admin:CaPath"] = _admin.CaPath }).Started();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _factory.Dispose();
        _admin.Dispose();
    }

    [Test]
    public async Task Get_NoClientCertificate_Returns401()
    {
        using HttpClient client = _factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/certificates"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "admin client certificate required");
    }

    [Test]
    public async Task Get_DeviceIdentityCertificate_Returns403()
    {
        using X509Certificate2 device = _factory.LoadDeviceIdentity();
        using HttpClient client = _factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/certificates"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.Forbidden, "client certificate is not from the admin CA");
    }

    [Test]
    public async Task Get_CertificateIssuedByTheServer_Returns403()
    {
        using X509Certificate2 issuing = _factory.LoadIssuingCa();
        using X509Certificate2 issued = TestCertificates.CreateClient(issuing, "CN=enrolled-device");
        using HttpClient client = _factory.CreateClientPresenting(issued);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/audit"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Get_ExpiredAdminCertificate_Returns403()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 expired = _admin.CreateOperator("CN=former, O=Ops", now.AddDays(-30), now.AddDays(-1));
        using HttpClient client = _factory.CreateClientPresenting(expired);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/audit"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.Forbidden, "admin client certificate (or its CA) is expired or not yet valid");
    }

    [Test]
    public async Task Get_AdminCaServerCertificateWithoutClientAuth_Returns403()
    {
        using X509Certificate2 server = TestCertificates.CreateServer(_admin.Ca, "CN=ops.example", ["ops.example"]);
        using HttpClient client = _factory.CreateClientPresenting(server);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/audit"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.Forbidden, "admin client certificate lacks the clientAuth extended key usage");
    }

    [Test]
    public async Task Get_AdminCertificate_Returns200()
    {
        using HttpClient client = _factory.CreateClientPresenting(_admin.Operator);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/audit"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task SimpleEnroll_AdminCertificate_IsRefused()
    {
        using HttpClient client = _factory.CreateClientPresenting(_admin.Operator);
        TestCsr csr = TestCsr.Create("CN=alice");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task UnknownRoute_WithoutCertificate_Returns401BeforeSayingItIsUnknown()
    {
        using HttpClient client = _factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/nosuch"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task UnknownRoute_AdminCertificate_Returns404()
    {
        using HttpClient client = _factory.CreateClientPresenting(_admin.Operator);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/admin/v1/nosuch"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.NotFound, "unknown admin route '/admin/v1/nosuch'");
    }
}
