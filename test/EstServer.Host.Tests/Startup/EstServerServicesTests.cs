using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Authority;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Queue;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Observability;
using EstServer.Host.Pki;
using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Host.Tests.Startup;

/// <summary>How AddEstServer wires the parts: one queue for both sides, the signer, options from "Est".</summary>
[TestFixture]
public sealed class EstServerServicesTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public void AddEstServer_Queue_IsOneInstanceForHostAndSigner()
    {
        using ServiceProvider provider = Build();

        InProcessSigningQueue queue = provider.GetRequiredService<InProcessSigningQueue>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<ISigningQueue>(), Is.SameAs(queue));
            Assert.That(provider.GetRequiredService<ISigningJobSource>(), Is.SameAs(queue));
        }
    }

    [Test]
    public void AddEstServer_HostedServices_AreTheSignerItsQueueShutdownTheQueueMetricsTheCrlPublisherAndTheStartupInstructions()
    {
        var services = new ServiceCollection();

        services.AddEstServer(Configuration());

        Assert.That(
            services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType),
            Is.EquivalentTo(new[] { typeof(SigningWorker), typeof(InProcessQueueShutdown), typeof(QueueMetricsCollector), typeof(EnrollmentInstructions), typeof(EstServer.Core.Revocation.CrlPublisher) }));
    }

    [Test]
    public void AddEstServer_QueueShutdown_IsRegisteredBeforeTheSignerSoItStopsAfterIt()
    {
        var services = new ServiceCollection();

        services.AddEstServer(Configuration());
        List<Type?> hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType).ToList();

        Assert.That(
            hosted.IndexOf(typeof(InProcessQueueShutdown)),
            Is.LessThan(hosted.IndexOf(typeof(SigningWorker))),
            "hosted services stop in reverse order: the signing loops finish the jobs in hand, then what is still queued gets 503");
    }

    [Test]
    public async Task AddEstServer_QueueShutdownWithAJobStillQueued_AnswersItUnavailable()
    {
        using ServiceProvider provider = Build(("Est:Signing:Concurrency", "1"));
        InProcessSigningQueue queue = provider.GetRequiredService<InProcessSigningQueue>();
        var shutdown = (IHostedService)ActivatorUtilities.CreateInstance(provider, typeof(InProcessQueueShutdown));
        var request = new SigningRequest(
            SigningRequestId.Derive(EnrollmentKind.Enroll, "default", [1], [2]), "default", "v1", EnrollmentKind.Enroll, [2], [1], DateTimeOffset.UtcNow);
        ValueTask<SigningOutcome> waiting = queue.SubmitAsync(request, TimeSpan.FromMinutes(1), CancellationToken.None);

        await shutdown.StopAsync(CancellationToken.None);
        SigningOutcome outcome = await waiting;

        Assert.That(outcome, Is.TypeOf<SigningOutcome.Refused>());
        Assert.That(((SigningOutcome.Refused)outcome).Error.Kind, Is.EqualTo(EstServer.Core.Errors.EstErrorKind.Unavailable));
    }

    [Test]
    public void AddEstServer_WithRedis_HasNoSignerAndLoadsNoCaKey()
    {
        using (ServiceProvider first = Build())
        {
            _ = first.GetRequiredService<PkiMaterial>();
        }

        DevPkiLayout dev = DevPkiLayout.InDataDir(_dir.Path);
        File.Delete(dev.IssuingCaKey);
        File.Delete(dev.RootKey);
        var services = new ServiceCollection();
        services.AddLogging().AddEstServer(Configuration(("Est:Redis", "127.0.0.1:1")));
        using ServiceProvider provider = services.BuildServiceProvider();

        PkiMaterial pki = provider.GetRequiredService<PkiMaterial>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pki.Signer, Is.Null);
            Assert.That(pki.ServerCertificate, Is.Not.Null);
            Assert.That(
                services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType),
                Is.EquivalentTo(new[] { typeof(QueueMetricsCollector), typeof(EnrollmentInstructions), typeof(EstServer.Redis.RedisQueueWarmup) }));
            Assert.That(services.Any(d => d.ServiceType == typeof(CertificateIssuer)), Is.False, "nothing in a Redis host can sign");
            Assert.That(services.Any(d => d.ServiceType == typeof(EstServer.Core.Revocation.CrlBuilder)), Is.False, "nor sign CRLs: signers publish them");
        }
    }

    [TestCase("0", -1)]
    [TestCase("3", 3)]
    public void AddEstServer_SigningConcurrency_ZeroMeansOnePerProcessor(string configured, int expected)
    {
        using ServiceProvider provider = Build(("Est:Signing:Concurrency", configured));

        int concurrency = provider.GetRequiredService<SigningWorkerOptions>().Concurrency;

        Assert.That(concurrency, Is.EqualTo(expected < 0 ? Environment.ProcessorCount : expected));
    }

    [Test]
    public void AddEstServer_EnrollmentWaitBudget_IsTheAuthoritysWaitBudget()
    {
        using ServiceProvider provider = Build(("Est:EnrollmentWaitBudget", "00:00:02.500"));

        Assert.That(provider.GetRequiredService<EstAuthorityOptions>().WaitBudget, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
    }

    [Test]
    public void AddEstServer_ProfilesPath_ServesItsProfilesByLabelWithTheirReenrollRules()
    {
        string profiles = TestProfile.WriteDirectory(
            _dir.Combine("profiles"),
            new TestProfile { Name = "field", Labels = ["field", "lab"], Default = true, Reenroll = "  gracePeriod: 7d\n" },
            new TestProfile { Name = "gateway", Labels = ["gw"], Reenroll = "  renewalWindow: 30d\n" });
        using ServiceProvider provider = Build(("Est:ProfilesPath", profiles));

        ProfileCatalog catalog = provider.GetRequiredService<IProfileCatalogProvider>().Current;
        PkiMaterial pki = provider.GetRequiredService<PkiMaterial>();
        using X509Certificate2 manufacturer = X509CertificateLoader.LoadCertificateFromFile(pki.DevPki!.ManufacturerCaCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<IProfileCatalogProvider>(), Is.InstanceOf<ProfileStore>(), "a directory is reloaded");
            Assert.That(catalog.Labels, Is.EquivalentTo(new[] { "field", "lab", "gw" }));
            Assert.That(catalog.TryResolve("lab", out CertificateProfile lab), Is.True);
            Assert.That(catalog.TryResolve(null, out CertificateProfile unlabelled), Is.True);
            Assert.That(catalog.TryResolve("gw", out CertificateProfile gateway), Is.True);
            Assert.That(lab, Is.SameAs(unlabelled));
            Assert.That(unlabelled.Name, Is.EqualTo("field"));
            Assert.That(unlabelled.Reenroll.GracePeriod, Is.EqualTo(TimeSpan.FromDays(7)));
            Assert.That(unlabelled.Reenroll.RenewalWindow, Is.Null);
            Assert.That(gateway.Reenroll.GracePeriod, Is.EqualTo(TimeSpan.Zero));
            Assert.That(gateway.Reenroll.RenewalWindow, Is.EqualTo(TimeSpan.FromDays(30)));
            Assert.That(unlabelled.DeviceIdentityAnchors.Roots.Select(c => c.RawData), Is.EqualTo(new[] { manufacturer.RawData }), "dev:manufacturer");
        }
    }

    [Test]
    public void AddEstServer_Issuer_SignsForThePkisCa()
    {
        using ServiceProvider provider = Build();

        CertificateIssuer issuer = provider.GetRequiredService<CertificateIssuer>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(issuer.Ca, Is.SameAs(provider.GetRequiredService<PkiMaterial>().Ca));
            Assert.That(provider.GetRequiredService<IssuingCa>(), Is.SameAs(issuer.Ca));
        }
    }

    [Test]
    public void AddEstServer_TimeProviderAlreadyRegistered_KeepsIt()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);

        services.AddLogging().AddEstServer(Configuration());
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(fake));
    }

    [Test]
    public void AddEstServer_NoDataDirAnywhere_UsesDataUnderTheWorkingDirectory()
    {
        using var environment = new EnvironmentVariableScope().Set("EST_DATA_DIR", null);
        var services = new ServiceCollection();
        services.AddEstServer(new ConfigurationBuilder().Build());
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOptions<EstOptions>>().Value.DataDir, Is.EqualTo("data"));
    }

    [Test]
    public void AddEstServer_InvalidSettings_FailOnFirstUse()
    {
        using ServiceProvider provider = Build(("Est:RetryAfter", "00:00:00"));

        Assert.That(() => provider.GetRequiredService<IOptions<EstOptions>>().Value, Throws.TypeOf<OptionsValidationException>());
    }

    private IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("Est:DataDir", _dir.Path)))
            .Build();

    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddLogging().AddEstServer(Configuration(settings));
        return services.BuildServiceProvider();
    }
}
