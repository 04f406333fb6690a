using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Revocation;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Observability;
using EstServer.Host.Pki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Startup;

/// <summary>
/// Revocation in each role: the embedded host publishes CRLs and names CDP/AIA; a Redis-mode host, without
/// the CA key, publishes nothing and signs OCSP with the dev PKI's responder files; what is missing is warned about.
/// </summary>
[TestFixture]
public sealed class RevocationServicesTests
{
    private const string RevocationCategory = "EstServer.Host.Startup.Revocation";

    [Test]
    public void Start_ListenerOnWildcardWithoutPublicBaseUrl_WarnsThatCertificatesCarryNoAddresses()
    {
        using var factory = new EstHostFactory(new Dictionary<string, string?> { ["Est:Revocation:HttpUrl"] = "http://0.0.0.0:8080" });

        factory.Started();

        Assert.That(Warnings(factory), Is.EqualTo(new[]
        {
            "Issued certificates carry no CRL or OCSP address: set Est:Revocation:PublicBaseUrl (the HTTP listener http://0.0.0.0:8080 names no fixed host and port)",
        }));
    }

    [Test]
    public async Task SimpleEnroll_ListenerOnWildcardWithoutPublicBaseUrl_IssuesWithoutCdpOrAia()
    {
        using var factory = new EstHostFactory(
            new Dictionary<string, string?> { ["Est:Revocation:HttpUrl"] = "http://0.0.0.0:8080" },
            profiles: [new TestProfile { Name = "revocation", Default = true }]);

        using X509Certificate2 issued = await RevocationHost.EnrollAsync(factory, "CN=no-cdp");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RevocationHost.CrlDistributionPoints(issued), Is.Empty);
            Assert.That(issued.Extensions.OfType<X509AuthorityInformationAccessExtension>(), Is.Empty);
        }
    }

    [Test]
    public async Task SimpleEnroll_NoPublicBaseUrl_NamesTheListenerAddress()
    {
        using var factory = new EstHostFactory(
            new Dictionary<string, string?> { ["Est:Revocation:HttpUrl"] = "http://crl.example.test:9080" },
            profiles: [new TestProfile { Name = "revocation", Default = true }]);

        using X509Certificate2 issued = await RevocationHost.EnrollAsync(factory, "CN=listener-cdp");

        Assert.That(RevocationHost.CrlDistributionPoints(issued),
            Is.EqualTo(new[] { $"http://crl.example.test:9080/crl/{RevocationHost.IssuingCaKeyId(factory)}.crl" }));
    }

    [Test]
    public void Start_EmbeddedWithPublicBaseUrl_WarnsAboutNothingAndPublishesCrls()
    {
        using EstHostFactory factory = RevocationHost.Create();

        factory.Started();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Warnings(factory), Is.Empty);
            Assert.That(factory.Services.GetServices<IHostedService>().OfType<CrlPublisher>(), Has.Exactly(1).Items);
            Assert.That(factory.Services.GetRequiredService<OcspIdentityHolder>().Identity, Is.Not.Null, "in memory, with the CA key");
        }
    }

    [Test]
    public async Task Ocsp_RedisModeWithoutResponderFiles_Returns404AndWarnsAtStart()
    {
        using EstHostFactory factory = RedisModeFactory();
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/ocsp"), new ByteArrayContent([0x30, 0x00]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(),
                Is.EqualTo("no OCSP responder is configured here (set Est:Revocation:OcspCertificatePath and OcspKeyPath)\n"));
            Assert.That(Warnings(factory), Is.EqualTo(new[]
            {
                "No OCSP responder: /ocsp answers 404. Set Est:Revocation:OcspCertificatePath and OcspKeyPath (a certificate with id-kp-OCSPSigning issued by the CA)",
            }), "no CDP warning in Redis mode: the signer names the addresses");
            Assert.That(factory.Services.GetServices<IHostedService>().OfType<CrlPublisher>(), Is.Empty, "no CA key, no CRL publisher");
        }
    }

    [Test]
    public async Task Ocsp_RedisModeWithDevResponderFiles_AnswersSignedByThatResponder()
    {
        using EstHostFactory factory = RedisModeFactory();
        // What a signer worker (holding the CA key) leaves in the shared dev PKI directory.
        PkiMaterial signer = PkiMaterialLoader.Load(new EstOptions { DataDir = factory.DataDir }, TimeProvider.System, PkiNeeds.CaKey);
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/ocsp"), new ByteArrayContent(TestOcspRequest.Create(signer.Ca, "1")));
        byte[] answer = await response.Content.ReadAsByteArrayAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(TestOcspRequest.Status(answer), Is.EqualTo(Org.BouncyCastle.Ocsp.OcspRespStatus.Successful));
            Assert.That(TestOcspRequest.Basic(answer).GetCerts().Single().GetEncoded(),
                Is.EqualTo(DevOcspResponder.PemCertificate(DevPkiLayout.InDataDir(factory.DataDir).OcspResponderCertificate)));
        }
    }

    [Test]
    public async Task Crl_RedisModeWithNoneStored_Returns503SayingWhoPublishes()
    {
        using EstHostFactory factory = RedisModeFactory();
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path($"/crl/{RevocationHost.IssuingCaKeyId(factory)}.crl"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("no CRL has been published yet; it is published by whoever holds the CA key\n"));
        }
    }

    private static string[] Warnings(EstHostFactory factory) =>
        [.. factory.Logs.Entries.Where(entry => entry.Category == RevocationCategory && entry.Level == LogLevel.Warning).Select(entry => entry.Message)];

    /// <summary>A host queueing to an unreachable Redis, without the queue metrics collector (see HealthEndpointsTests).</summary>
    private static EstHostFactory RedisModeFactory() => new(
        settings: new Dictionary<string, string?> { ["Est:Redis"] = $"127.0.0.1:{ClosedPort()}", ["Est:Queue:OperationTimeout"] = "00:00:00.200" },
        configureServices: services =>
        {
            foreach (ServiceDescriptor collector in services.Where(d => d.ImplementationType == typeof(QueueMetricsCollector)).ToList())
            {
                services.Remove(collector);
            }
        },
        profiles: [new TestProfile { Name = "queued", Default = true }]);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
