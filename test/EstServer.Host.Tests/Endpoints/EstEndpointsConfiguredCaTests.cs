using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>The server on a configured CA (EC or RSA key), TLS certificate and manufacturer anchors instead of the dev PKI.</summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class EstEndpointsConfiguredCaTests(bool rsaIssuer)
{
    private TempDirectory _files = null!;
    private ConfiguredFiles _pki = null!;
    private EstHostFactory _factory = null!;
    private ConsoleCapture _console = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _files = new TempDirectory();
        _pki = ConfiguredFiles.Create(_files, rsaIssuer);
        _console = new ConsoleCapture();
        _factory = new EstHostFactory(new Dictionary<string, string?>
        {
            ["Est:Ca:CertificatePath"] = _pki.IssuingChainPath,
            ["Est:Ca:KeyPath"] = _pki.IssuingKeyPath,
            ["Est:Tls:CertificatePath"] = _pki.TlsCertificatePath,
            ["Est:Tls:KeyPath"] = _pki.TlsKeyPath,
            ["Est:ProfilesPath"] = _pki.ProfilesPath,
        }).Started();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _factory.Dispose();
        _console.Dispose();
        _pki.Dispose();
        _files.Dispose();
    }

    [Test]
    public void Start_ConfiguredCa_CreatesNoDevPkiAndPrintsNoInstructions()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.Exists(_factory.DevPki.Directory), Is.False);
            Assert.That(_console.Out, Does.Not.Contain("EstServer is ready"));
            Assert.That(_factory.Logs.Entries.Where(entry => entry.EventId.Id == 1101), Is.Empty);
        }
    }

    [Test]
    public async Task CaCerts_ConfiguredCa_ReturnsTheConfiguredChain()
    {
        using HttpClient client = _factory.CreateClient();

        string body = await client.GetStringAsync(EstWire.Path("/.well-known/est/cacerts"));

        Assert.That(
            EstWire.ReadCertsOnly(body).Select(certificate => certificate.Thumbprint),
            Is.EquivalentTo(new[] { _pki.Issuing.Thumbprint, _pki.Root.Thumbprint }));
    }

    [Test]
    public async Task SimpleEnroll_DeviceOfConfiguredManufacturer_IsIssuedByTheConfiguredCa()
    {
        using X509Certificate2 device = TestCertificates.CreateClient(_pki.Manufacturer, "CN=configured-device");
        using HttpClient client = _factory.CreateClientPresenting(device);
        TestCsr csr = TestCsr.Create("CN=configured-device");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Root);
        chain.ChainPolicy.ExtraStore.Add(_pki.Issuing);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.IssuerName.RawData, Is.EqualTo(_pki.Issuing.SubjectName.RawData));
            Assert.That(chain.Build(issued), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        }
    }

    [Test]
    public async Task SimpleEnroll_DevManufacturerStyleDeviceNotConfigured_Returns403()
    {
        using X509Certificate2 otherManufacturer = TestCertificates.CreateRootCa("CN=Demo Manufacturer IDevID CA, O=Demo Manufacturer");
        using X509Certificate2 device = TestCertificates.CreateClient(otherManufacturer, "CN=demo-device-0001");
        using HttpClient client = _factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(
            EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=demo-device-0001").Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
