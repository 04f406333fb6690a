using System.Net;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Admin;

/// <summary>Without Est:Admin:CaPath the admin API does not exist: every route says so, even to an admin-looking certificate.</summary>
[TestFixture]
public sealed class AdminEndpointsOffTests
{
    private EstHostFactory _factory = null!;

    [OneTimeSetUp]
    public void StartServer() => _factory = new EstHostFactory().Started();

    [OneTimeTearDown]
    public void StopServer() => _factory.Dispose();

    [TestCase("GET", "/admin/v1/certificates")]
    [TestCase("GET", "/admin/v1/certificates/0A1B")]
    [TestCase("POST", "/admin/v1/certificates/0A1B/revoke")]
    [TestCase("POST", "/admin/v1/devices/abc/block")]
    [TestCase("POST", "/admin/v1/devices/abc/unblock")]
    [TestCase("GET", "/admin/v1/audit")]
    [TestCase("GET", "/admin/v1")]
    [TestCase("GET", "/admin/v1/anything/else")]
    public async Task Request_AdminOff_Returns404SayingHowToTurnItOn(string method, string path)
    {
        using TestAdminPki admin = new();
        using HttpClient client = _factory.CreateClientPresenting(admin.Operator);
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));

        using HttpResponseMessage response = await client.SendAsync(request);

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.NotFound, "admin API is off (set Est:Admin:CaPath)");
    }
}
