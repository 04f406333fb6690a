using System.Net;
using System.Net.Sockets;
using EstServer.Core.Lifecycle;
using EstServer.Core.Profiles;
using EstServer.Store;
using EstServer.Host.Observability;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// Load-balancer probes, open without a client certificate: /healthz says the process answers, /readyz
/// that it can do its job (profiles loaded; in Redis mode Redis reachable and a signer worker alive).
/// </summary>
[TestFixture]
public sealed class HealthEndpointsTests
{
    private EstHostFactory _factory = null!;
    private HttpClient _anonymous = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _factory = new EstHostFactory(profiles: [new TestProfile { Name = "health", Default = true }]);
        _anonymous = _factory.CreateClientPresenting(null);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _anonymous.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Healthz_WithoutClientCertificate_Returns200Ok()
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path("/healthz"));

        await AssertAnswerAsync(response, HttpStatusCode.OK, "ok\n");
    }

    [Test]
    public async Task Readyz_WithProfilesLoaded_Returns200Ready()
    {
        using HttpResponseMessage response = await _anonymous.GetAsync(EstWire.Path("/readyz"));

        await AssertAnswerAsync(response, HttpStatusCode.OK, "ready\n");
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task Probe_Head_Returns200WithTheLengthOfGet(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, EstWire.Path(path));

        using HttpResponseMessage response = await _anonymous.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(path == "/healthz" ? 3 : 6));
        }
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task Probe_Post_Returns405(string path)
    {
        using HttpResponseMessage response = await _anonymous.PostAsync(EstWire.Path(path), EstWire.Body("x"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task Readyz_CertificateStoreUnreachable_Returns503SayingSo()
    {
        using var factory = new EstHostFactory(configureServices: services =>
            services.AddSingleton<IRevocationList>(provider => new SwitchableStore(provider.GetRequiredService<SqlCertificateStore>()) { Reachable = false }));
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage ready = await client.GetAsync(EstWire.Path("/readyz"));

        await AssertAnswerAsync(ready, HttpStatusCode.ServiceUnavailable, "certificate store unreachable\n");
    }

    [Test]
    public async Task Readyz_NoProfilesLoaded_Returns503SayingSo()
    {
        using var factory = new EstHostFactory(configureServices: services =>
            services.AddSingleton<IProfileCatalogProvider>(new FixedProfileCatalogProvider(new ProfileCatalog([]))));
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage ready = await client.GetAsync(EstWire.Path("/readyz"));
        using HttpResponseMessage healthy = await client.GetAsync(EstWire.Path("/healthz"));

        using (Assert.EnterMultipleScope())
        {
            await AssertAnswerAsync(ready, HttpStatusCode.ServiceUnavailable, "no certificate profiles loaded\n");
            Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process still answers");
        }
    }

    [Test]
    public async Task Readyz_RedisModeWithRedisUnreachable_Returns503SayingSo()
    {
        using var factory = RedisModeFactory($"127.0.0.1:{ClosedPort()}");
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/readyz"));

        await AssertAnswerAsync(response, HttpStatusCode.ServiceUnavailable, "redis unreachable\n");
    }

    [Test]
    public async Task Readyz_RedisModeWithoutSignerWorker_Returns503SayingSo()
    {
        if (RedisServer.FindExecutable() is null && !RedisServer.Required)
        {
            Assert.Ignore("redis-server is not installed");
        }

        using RedisServer redis = RedisServer.Start();
        using var factory = RedisModeFactory(redis.Configuration);
        using HttpClient client = factory.CreateClientPresenting(null);

        using HttpResponseMessage response = await client.GetAsync(EstWire.Path("/readyz"));

        await AssertAnswerAsync(response, HttpStatusCode.ServiceUnavailable, "no signer worker alive\n");
    }

    /// <summary>
    /// A host that queues to Redis. Its queue metrics collector is left out: it would stay registered with
    /// the process-wide metrics registry after this host is gone and reach for this Redis at every scrape.
    /// </summary>
    private static EstHostFactory RedisModeFactory(string redis) => new(
        settings: new Dictionary<string, string?> { ["Est:Redis"] = redis, ["Est:Queue:OperationTimeout"] = "00:00:00.200" },
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

    private static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(body));
        }
    }
}
