using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// Two labels, two profiles, two device makers: each profile trusts only its maker's IDevID CA (a PEM
/// file the profile names) and issues under its own policy OID. Neither profile serves the unlabelled route.
/// </summary>
[TestFixture]
public sealed class LabelTrustAnchorTests
{
    private const string OidA = "2.999.77.1";
    private const string OidB = "2.999.77.2";

    private TempDirectory _anchors = null!;
    private X509Certificate2 _makerA = null!;
    private X509Certificate2 _makerB = null!;
    private X509Certificate2 _deviceA = null!;
    private X509Certificate2 _deviceB = null!;
    private EstTestServer _server = null!;

    [OneTimeSetUp]
    public async Task CreateMakersThenStart()
    {
        _anchors = new TempDirectory("makers");
        _makerA = TestCertificates.CreateRootCa("CN=Maker A IDevID CA, O=Maker A");
        _makerB = TestCertificates.CreateRootCa("CN=Maker B IDevID CA, O=Maker B");
        _deviceA = TestCertificates.CreateClient(_makerA, "CN=maker-a-device-0001, O=Maker A");
        _deviceB = TestCertificates.CreateClient(_makerB, "CN=maker-b-device-0001, O=Maker B");
        string pemA = _anchors.Combine("maker-a.pem");
        string pemB = _anchors.Combine("maker-b.pem");
        await File.WriteAllTextAsync(pemA, _makerA.ExportCertificatePem());
        await File.WriteAllTextAsync(pemB, _makerB.ExportCertificatePem());

        _server = await EstTestServer.StartAsync(new()
        {
            Profiles =
            [
                new TestProfile { Name = "maker-a", Labels = ["maker-a"], TrustAnchors = [pemA], PolicyOid = OidA },
                new TestProfile { Name = "maker-b", Labels = ["maker-b"], TrustAnchors = [pemB], PolicyOid = OidB },
            ],
        });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _deviceA?.Dispose();
        _deviceB?.Dispose();
        _makerA?.Dispose();
        _makerB?.Dispose();
        _anchors?.Dispose();
    }

    [TestCase("a", "maker-a", OidA)]
    [TestCase("b", "maker-b", OidB)]
    public async Task SimpleEnroll_DeviceUnderItsMakersLabel_Returns200WithThatProfilesOid(string maker, string label, string oid)
    {
        using HttpClient client = _server.CreateClient(Device(maker));
        TestCsr csr = TestCsr.Create($"CN=maker-{maker}-device-0001-op");

        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, $"{EstRequests.Root}/{label}/simpleenroll", csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, _server.IssuingCa, _server.TrustAnchor);
        Assert.That(CertificatePolicyReader.Oids(issued), Is.EqualTo(new[] { oid }));
    }

    [TestCase("a", "maker-b")]
    [TestCase("b", "maker-a")]
    public async Task SimpleEnroll_DeviceUnderOtherMakersLabel_Returns403NamingThatProfilesAnchor(string maker, string label)
    {
        using HttpClient client = _server.CreateClient(Device(maker));
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, $"{EstRequests.Root}/{label}/simpleenroll", TestCsr.Create($"CN=maker-{maker}-stray"));

        string reason = await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "not issued by a trusted device-identity CA");
        Assert.That(reason, Does.Contain(label + ".pem"), "the refusal names the anchors of the profile asked");
    }

    [Test]
    public async Task SimpleEnroll_DemoDeviceOfDevPkiUnderEitherLabel_Returns403()
    {
        // Neither profile lists dev:manufacturer: the server's own demo identity is no one's device here.
        using HttpClient client = _server.CreateClient(_server.DemoDevice);
        using HttpResponseMessage toA = await EstRequests.PostCsrAsync(client, EstRequests.Root + "/maker-a/simpleenroll", TestCsr.Create("CN=demo-to-a"));
        using HttpResponseMessage toB = await EstRequests.PostCsrAsync(client, EstRequests.Root + "/maker-b/simpleenroll", TestCsr.Create("CN=demo-to-b"));

        await EstAssert.RefusedAsync(toA, HttpStatusCode.Forbidden);
        await EstAssert.RefusedAsync(toB, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task SimpleEnroll_NoLabelWithoutDefaultProfile_Returns404()
    {
        using HttpClient client = _server.CreateClient(_deviceA);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=maker-a-unlabelled"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, "only under a label");
    }

    private X509Certificate2 Device(string maker) => maker == "a" ? _deviceA : _deviceB;
}
