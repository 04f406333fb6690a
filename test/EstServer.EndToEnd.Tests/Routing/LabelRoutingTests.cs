using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Routing;

/// <summary>
/// The EST path: optional labels (RFC 7030 §3.2.2) that each select a profile, the unlabelled route
/// served by the default profile, unknown labels and operations, wrong methods.
/// </summary>
[TestFixture]
public sealed class LabelRoutingTests
{
    private EstTestServer _server = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        // The default profile set: e2e-default on the unlabelled route, e2e-field behind label "field".
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
    public async Task SimpleEnroll_ConfiguredLabel_Returns200UnderThatLabelsProfile()
    {
        TestCsr csr = TestCsr.Create("CN=e2e-field-device");
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.Root + "/field/simpleenroll", csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, _server.IssuingCa, _server.TrustAnchor);
        Assert.That(CertificatePolicyReader.Oids(issued), Is.EqualTo(new[] { EstTestServer.FieldPolicyOid }));
    }

    [Test]
    public async Task SimpleEnroll_NoLabel_Returns200UnderDefaultProfile()
    {
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, TestCsr.Create("CN=e2e-unlabelled-device"));

        Assert.That(CertificatePolicyReader.Oids(issued), Is.EqualTo(new[] { EstTestServer.DefaultPolicyOid }));
    }

    [Test]
    public async Task CaCerts_ConfiguredLabel_Returns200WithCaChain()
    {
        using HttpClient anonymous = _server.CreateClient();
        string body = await anonymous.GetStringAsync(new Uri(EstRequests.Root + "/field/cacerts", UriKind.Relative));

        Assert.That(CertsOnlyReader.ReadBase64(body).Select(c => c.Thumbprint),
            Is.EquivalentTo(new[] { _server.IssuingCa.Thumbprint, _server.TrustAnchor.Thumbprint }));
    }

    [Test]
    public async Task SimpleEnroll_UnknownLabel_Returns404()
    {
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, EstRequests.Root + "/nosuchlabel/simpleenroll", TestCsr.Create("CN=e2e-lost"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, "unknown EST label 'nosuchlabel'");
    }

    [Test]
    public async Task CsrAttrs_UnknownLabel_Returns404()
    {
        using HttpResponseMessage response = await _device.GetAsync(new Uri(EstRequests.Root + "/nosuchlabel/csrattrs", UriKind.Relative));

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, "unknown EST label 'nosuchlabel'");
    }

    [Test]
    public async Task SimpleEnroll_Get_Returns405WithAllowPost()
    {
        using HttpResponseMessage response = await _device.GetAsync(new Uri(EstRequests.SimpleEnroll, UriKind.Relative));

        await EstAssert.RefusedAsync(response, HttpStatusCode.MethodNotAllowed, "use POST");
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(new[] { "POST" }));
    }

    [Test]
    public async Task ServerKeyGen_Post_Returns404NotSupported()
    {
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, EstRequests.Root + "/serverkeygen", TestCsr.Create("CN=e2e-keygen"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, "not supported");
    }

    [Test]
    public async Task SimpleEnroll_WrongContentType_Returns415()
    {
        using var content = new StringContent(TestCsr.Create("CN=e2e-json").Base64, System.Text.Encoding.ASCII, "application/json");
        using HttpResponseMessage response = await _device.PostAsync(new Uri(EstRequests.SimpleEnroll, UriKind.Relative), content);

        await EstAssert.RefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "application/pkcs10");
    }
}
