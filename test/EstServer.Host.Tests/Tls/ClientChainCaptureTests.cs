using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.Host.Tls;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EstServer.Host.Tests.Tls;

/// <summary>
/// The client's certificate path is built once, in the TLS handshake, against every anchor the server
/// knows and with the intermediates the client sent; each request then only checks where it ends. TestServer
/// has no handshake, so these tests play Kestrel's part: take the policy OnAuthenticate sets, build the
/// path as TLS would, and hand it to Validate.
/// </summary>
[TestFixture]
public sealed class ClientChainCaptureTests
{
    private TempDirectory _dir = null!;
    private X509Certificate2 _makerRoot = null!;
    private X509Certificate2 _factoryLine = null!;
    private EstHostFactory _factory = null!;
    private ClientChainCapture _capture = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _dir = new TempDirectory();
        _makerRoot = TestCertificates.CreateRootCa("CN=Maker Root CA");
        _factoryLine = TestCertificates.CreateIntermediateCa(_makerRoot, "CN=Maker Factory Line CA");
        string anchors = _dir.Combine("maker-root.pem");
        TestCertificates.WritePem(anchors, _makerRoot);
        _factory = new EstHostFactory(profiles: [new TestProfile { Name = "maker", Default = true, TrustAnchors = [anchors] }]);
        _capture = _factory.Started().Services.GetRequiredService<ClientChainCapture>();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _factory.Dispose();
        _factoryLine.Dispose();
        _makerRoot.Dispose();
        _dir.Dispose();
    }

    [Test]
    public void OnAuthenticate_ChainPolicy_TrustsTheProfilesAnchorsAndTheServersOwnCaAndNothingElse()
    {
        var options = new SslServerAuthenticationOptions();
        using X509Certificate2 devRoot = X509CertificateLoader.LoadCertificateFromFile(_factory.DevPki.TrustAnchor);

        _capture.OnAuthenticate(null!, options);
        X509ChainPolicy policy = options.CertificateChainPolicy!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.TrustMode, Is.EqualTo(X509ChainTrustMode.CustomRootTrust), "never the operating system's store");
            Assert.That(policy.CustomTrustStore.Select(c => c.Thumbprint), Is.EquivalentTo(new[] { _makerRoot.Thumbprint, devRoot.Thumbprint }));
            Assert.That(policy.RevocationMode, Is.EqualTo(X509RevocationMode.NoCheck));
            Assert.That(policy.DisableCertificateDownloads, Is.True);
        }
    }

    [Test]
    public void Validate_UntrustedPathWithErrors_NeverRefusesTheHandshake()
    {
        using X509Certificate2 stranger = TestCertificates.CreateRootCa("CN=Stranger");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.Build(stranger);

        bool accepted = _capture.Validate(stranger, chain, SslPolicyErrors.RemoteCertificateChainErrors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(accepted, Is.True, "the request gets an HTTP answer with a reason instead");
            Assert.That(_capture.Find(stranger)?.Trusted, Is.False);
        }
    }

    [Test]
    public void Find_CertificateWithoutHandshakeOrNone_IsNull()
    {
        using X509Certificate2 device = TestCertificates.CreateClient(_factoryLine, "CN=no-handshake");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_capture.Find(device), Is.Null);
            Assert.That(_capture.Find(null), Is.Null);
        }
    }

    [Test]
    public async Task SimpleEnroll_DeviceOfAnIntermediateTheProfileDoesNotList_Returns403WithoutTheHandshakesPath()
    {
        using X509Certificate2 device = TestCertificates.CreateClient(_factoryLine, "CN=line-device-alone");
        using HttpClient client = _factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=line-device-alone").Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "built per request, the path cannot reach the maker's root");
    }

    [Test]
    public async Task SimpleEnroll_DeviceThatSentItsIntermediateInTheHandshake_Returns200()
    {
        using X509Certificate2 device = TestCertificates.CreateClient(_factoryLine, "CN=line-device");
        var options = new SslServerAuthenticationOptions();
        _capture.OnAuthenticate(null!, options);
        using (var chain = new X509Chain { ChainPolicy = options.CertificateChainPolicy! })
        {
            chain.ChainPolicy.ExtraStore.Add(_factoryLine);
            Assert.That(chain.Build(device), Is.True, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.That(_capture.Validate(device, chain, SslPolicyErrors.None), Is.True);
        }

        using HttpClient client = _factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(TestCsr.Create("CN=line-device").Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
