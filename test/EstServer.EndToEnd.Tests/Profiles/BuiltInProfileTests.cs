using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// The binary started with no Est:ProfilesPath and no profile directory under EST_CONFIG_DIR: one built-in
/// device profile on the dev PKI serves the unlabelled route only, trusts the demo manufacturer, and
/// copies the CSR's subject and subjectAltName.
/// </summary>
[TestFixture]
public sealed class BuiltInProfileTests
{
    private TempDirectory _config = null!;
    private EstTestServer _server = null!;
    private HttpClient _device = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _config = new TempDirectory("no-profiles-config");
        _server = await EstTestServer.StartAsync(new() { Binary = true, Purpose = "builtin", ConfigDirectory = _config.Path, Profiles = null });
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

        _config?.Dispose();
    }

    [Test]
    public void Startup_NoProfileDirectory_WarnsItServesBuiltInProfile()
    {
        Assert.That(_server.Process!.StandardOutput,
            Does.Contain($"No profile directory at {Path.Combine(_config.Path, "profiles")}: serving the built-in default device profile on the development PKI"));
    }

    [Test]
    public async Task SimpleEnroll_NoLabel_CopiesCsrSubjectAndSubjectAltName()
    {
        TestCsr csr = TestCsr.Create("CN=builtin-device, OU=Line 4, O=Anything Goes", dnsNames: ["builtin-device.example.net"]);

        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
        IssuedCertificateAssert.IsClientAuthEndEntity(issued);
        Assert.That(issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames(), Is.EqualTo(new[] { "builtin-device.example.net" }));
    }

    [TestCase("field-device")]
    [TestCase("gateway")]
    public async Task SimpleEnroll_AnyLabel_Returns404(string label)
    {
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, $"{EstRequests.Root}/{label}/simpleenroll", TestCsr.Create("CN=builtin-labelled"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, $"unknown EST label '{label}'");
    }

    [Test]
    public async Task SimpleEnroll_DeviceOfOtherMaker_Returns403()
    {
        using X509Certificate2 maker = TestCertificates.CreateRootCa("CN=Other Maker IDevID CA");
        using X509Certificate2 stranger = TestCertificates.CreateClient(maker, "CN=other-maker-device");
        using HttpClient client = _server.CreateClient(stranger);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=other-maker-device"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "dev:manufacturer");
    }
}
