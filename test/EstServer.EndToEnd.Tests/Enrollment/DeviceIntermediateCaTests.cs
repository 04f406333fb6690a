using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.Host.DevPki;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Enrollment;

/// <summary>
/// A two-tier manufacturer PKI (root, then a line CA that signs devices), anchored by a profile whose
/// enroll.trustAnchors names one PEM file holding the root and the configured intermediate.
/// </summary>
[TestFixture]
public sealed class DeviceIntermediateCaTests
{
    private TempDirectory _work = null!;
    private EstTestServer? _server;
    private X509Certificate2 _configuredLineCa = null!;
    private X509Certificate2 _unconfiguredLineCa = null!;
    private X509Certificate2 _deviceUnderConfigured = null!;
    private X509Certificate2 _deviceUnderUnconfigured = null!;

    [OneTimeSetUp]
    public async Task CreateManufacturerHierarchyThenStart()
    {
        _work = new TempDirectory("intermediate");
        var layout = DevPkiLayout.InDataDir(_work.Combine("data"));
        DevPkiGenerator.EnsureCreated(layout, TimeProvider.System);
        using X509Certificate2 manufacturer = TestCertificates.LoadPem(layout.ManufacturerCaCertificate, layout.ManufacturerCaKey);
        _configuredLineCa = TestCertificates.CreateIntermediateCa(manufacturer, "CN=Demo Line 1 CA, O=Demo Manufacturer");
        _unconfiguredLineCa = TestCertificates.CreateIntermediateCa(manufacturer, "CN=Demo Line 2 CA, O=Demo Manufacturer");
        _deviceUnderConfigured = TestCertificates.CreateClient(_configuredLineCa, "CN=line1-device-0001", notBefore: TestCertificates.ValidFrom(_configuredLineCa));
        _deviceUnderUnconfigured = TestCertificates.CreateClient(_unconfiguredLineCa, "CN=line2-device-0001", notBefore: TestCertificates.ValidFrom(_unconfiguredLineCa));
        string bundle = _work.Combine("manufacturer-with-line-1.pem");
        await File.WriteAllTextAsync(bundle, await File.ReadAllTextAsync(layout.ManufacturerCaCertificate) + _configuredLineCa.ExportCertificatePem());

        _server = await EstTestServer.StartAsync(new()
        {
            DataDirectory = _work.Combine("data"),
            Profiles = [new TestProfile { Name = "e2e-lines", Default = true, TrustAnchors = [bundle] }],
        });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _deviceUnderConfigured?.Dispose();
        _deviceUnderUnconfigured?.Dispose();
        _configuredLineCa?.Dispose();
        _unconfiguredLineCa?.Dispose();
        _work?.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_DeviceUnderConfiguredIntermediate_Returns200()
    {
        using HttpClient client = _server!.CreateClient(_deviceUnderConfigured);
        TestCsr csr = TestCsr.Create("CN=line1-device-0001-op");

        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }

    [Test]
    public async Task SimpleEnroll_DeviceUnderUnconfiguredIntermediate_Returns403()
    {
        using HttpClient client = _server!.CreateClient(_deviceUnderUnconfigured);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=line2-device-0001-op"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "not issued by a trusted device-identity CA");
    }

    [Test]
    public async Task SimpleEnroll_DemoDeviceUnderRootAnchor_StillReturns200()
    {
        using HttpClient client = _server!.CreateClient(_server.DemoDevice);
        TestCsr csr = TestCsr.Create("CN=demo-next-to-lines");

        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }
}
