using System.Net;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.Host.DevPki;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.DevPki;

/// <summary>
/// A long-lived dev setup whose TLS server certificate is about to expire: the next start replaces it
/// with a fresh one under the same root, so clients that trust trust-anchor.pem keep working.
/// </summary>
[TestFixture]
[UnsupportedOSPlatform("windows")]
public sealed class DevServerCertificateRenewalTests
{
    private TempDirectory _work = null!;
    private EstTestServer? _server;
    private byte[] _nearlyExpiredCertificate = [];
    private string _nearlyExpiredKeyPem = "";
    private byte[] _trustAnchorBefore = [];

    private string DataDir => _work.Combine("data");

    private DevPkiLayout Layout => DevPkiLayout.InDataDir(DataDir);

    [OneTimeSetUp]
    public async Task CreatePkiWithExpiringServerCertificateThenStart()
    {
        _work = new TempDirectory("renewal");
        Assert.That(DevPkiGenerator.EnsureCreated(Layout, TimeProvider.System), Is.True, "precondition: a new dev PKI");
        _trustAnchorBefore = File.ReadAllBytes(Layout.TrustAnchor);
        ReplaceServerCertificateWithOneExpiringIn(TimeSpan.FromDays(10));
        _server = await EstTestServer.StartAsync(new() { DataDirectory = DataDir });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _work?.Dispose();
    }

    [Test]
    public async Task Startup_ServerCertificateDueForRenewal_PresentsFreshCertificateInHandshake()
    {
        RawHttpResponse response = await RawHttpsExchange.SendAsync(_server!.BaseAddress, _server.TrustAnchor, null, SslProtocols.None, "GET", EstRequests.CaCerts);
        using X509Certificate2 presented = X509CertificateLoader.LoadCertificate(response.ServerCertificate);
        using X509Certificate2 onDisk = X509CertificateLoader.LoadCertificateFromFile(Layout.ServerCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo((int)HttpStatusCode.OK));
            Assert.That(presented.RawData, Is.Not.EqualTo(_nearlyExpiredCertificate), "the expiring certificate was replaced");
            Assert.That(presented.RawData, Is.EqualTo(onDisk.RawData), "server.pem holds what is served");
            Assert.That(presented.NotAfter.ToUniversalTime(), Is.GreaterThan(DateTime.UtcNow.AddDays(365)), "a fresh validity");
        }
    }

    [Test]
    public void Startup_ServerCertificateDueForRenewal_WritesNewKeyOwnerOnly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(Layout.ServerKey), Is.Not.EqualTo(_nearlyExpiredKeyPem), "a new key");
            Assert.That(File.GetUnixFileMode(Layout.ServerKey), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public void Startup_ServerCertificateDueForRenewal_KeepsTrustAnchor()
    {
        Assert.That(File.ReadAllBytes(Layout.TrustAnchor), Is.EqualTo(_trustAnchorBefore));
    }

    private void ReplaceServerCertificateWithOneExpiringIn(TimeSpan left)
    {
        using X509Certificate2 root = TestCertificates.LoadPem(Layout.TrustAnchor, Layout.RootKey);
        using X509Certificate2 certificate = TestCertificates.CreateServer(
            root, "CN=localhost, O=EstServer development", ["localhost"], [IPAddress.Loopback], TestCertificates.ValidFrom(root), DateTimeOffset.UtcNow.Add(left));
        _nearlyExpiredCertificate = certificate.RawData;
        _nearlyExpiredKeyPem = TestCertificates.ToPem(certificate).Key + "\n";
        File.WriteAllText(Layout.ServerCertificate, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Layout.ServerKey, _nearlyExpiredKeyPem);
    }
}
