using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.Host.DevPki;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Enrollment;

/// <summary>
/// enroll.trustAnchors listing the manufacturer root and its line CA as two entries, the way the former
/// Est:DeviceTrustAnchors setting listed them and the README describes the list ("PEM paths …
/// self-signed ones are anchors, others intermediates").
/// </summary>
[TestFixture]
public sealed class IntermediateTrustAnchorEntryTests
{
    private TempDirectory _work = null!;
    private X509Certificate2 _lineCa = null!;
    private X509Certificate2 _device = null!;
    private DevPkiLayout _layout = null!;
    private string _lineCaFile = "";

    [OneTimeSetUp]
    public async Task CreateManufacturerHierarchy()
    {
        _work = new TempDirectory("intermediate-entry");
        _layout = DevPkiLayout.InDataDir(_work.Combine("data"));
        DevPkiGenerator.EnsureCreated(_layout, TimeProvider.System);
        using X509Certificate2 manufacturer = TestCertificates.LoadPem(_layout.ManufacturerCaCertificate, _layout.ManufacturerCaKey);
        _lineCa = TestCertificates.CreateIntermediateCa(manufacturer, "CN=Demo Line 3 CA, O=Demo Manufacturer");
        _device = TestCertificates.CreateClient(_lineCa, "CN=line3-device-0001", notBefore: TestCertificates.ValidFrom(_lineCa));
        _lineCaFile = _work.Combine("line-3-ca.pem");
        await File.WriteAllTextAsync(_lineCaFile, _lineCa.ExportCertificatePem());
    }

    [OneTimeTearDown]
    public void DeleteHierarchy()
    {
        _device?.Dispose();
        _lineCa?.Dispose();
        _work?.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_RootAndIntermediateAsSeparateEntries_DeviceUnderIntermediateReturns200()
    {
        TestProfile profile = new() { Name = "e2e-separate-entries", Default = true, TrustAnchors = [_layout.ManufacturerCaCertificate, _lineCaFile] };

        await using EstTestServer server = await EstTestServer.StartAsync(new() { DataDirectory = _work.Combine("data"), Profiles = [profile] });
        using HttpClient client = server.CreateClient(_device);
        TestCsr csr = TestCsr.Create("CN=line3-device-0001-op");
        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
    }
}
