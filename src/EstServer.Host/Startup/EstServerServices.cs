using EstServer.Core.Authority;
using EstServer.Core.Csr;
using EstServer.Core.Issuance;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Trust;
using EstServer.Host.Configuration;
using EstServer.Host.Endpoints;
using EstServer.Host.Observability;
using EstServer.Host.Pki;
using EstServer.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Startup;

/// <summary>
/// Wires the two roles: the EST host (HTTP front end; signs in process, or queues to Redis) and the
/// signer worker (reads Redis, holds the CA key). Each loads only the private material its role needs.
/// </summary>
public static class EstServerServices
{
    public static IServiceCollection AddEstServer(this IServiceCollection services, IConfiguration configuration)
    {
        AddCommon(services, configuration, options => options.UsesRedis ? PkiNeeds.TlsServer : PkiNeeds.TlsServer | PkiNeeds.CaKey);
        services.AddSingleton<EstServer.Host.Tls.ClientChainCapture>();
        services.AddSingleton(provider => new EstAuthorityOptions { WaitBudget = Options(provider).EnrollmentWaitBudget });
        services.AddSingleton<EstAuthority>();
        services.AddSingleton<EstEndpoints>();
        RevocationServices.AddRevocationServing(services);
        EstServer.Host.Admin.AdminServices.AddEstAdmin(services);
        services.AddHostedService<EnrollmentInstructions>();

        if (configuration.GetSection(EstOptions.Section).Get<EstOptions>()?.UsesRedis == true)
        {
            AddRedis(services, "estserver-host");
            services.AddSingleton<RedisSigningQueue>();
            services.AddSingleton<ISigningQueue>(provider => provider.GetRequiredService<RedisSigningQueue>());
            services.AddHostedService<RedisQueueWarmup>();
            services.AddSingleton<WorkerRegistry>();
            services.AddSingleton<IQueueStatistics, RedisQueueStatistics>();
            services.AddHostedService<QueueMetricsCollector>();
            return services;
        }

        services.AddSingleton(provider =>
        {
            EstOptions options = Options(provider);
            return new InProcessSigningQueue(
                new InProcessSigningQueueOptions { Capacity = options.Signing.QueueCapacity, RetryAfter = options.RetryAfter },
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ISigningQueue>(provider => provider.GetRequiredService<InProcessSigningQueue>());
        services.AddSingleton<ISigningJobSource>(provider => provider.GetRequiredService<InProcessSigningQueue>());
        services.AddSingleton<IQueueStatistics>(provider => provider.GetRequiredService<InProcessSigningQueue>());
        services.AddHostedService<QueueMetricsCollector>();

        // Stops after the signing loops (reverse order): whatever is still queued then gets 503.
        services.AddHostedService<InProcessQueueShutdown>();
        AddSigning(services);
        return services;
    }

    /// <summary>The signer worker: Redis job source, the CA key, profile re-checks, heartbeat.</summary>
    public static IServiceCollection AddEstSigner(this IServiceCollection services, IConfiguration configuration)
    {
        AddCommon(services, configuration, _ => PkiNeeds.CaKey);
        AddRedis(services, "estserver-signer");
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<RedisSigningJobSource>();
        services.AddSingleton<ISigningJobSource>(provider => provider.GetRequiredService<RedisSigningJobSource>());

        // Hosted services stop in reverse order: heartbeat, then the signing loops (finishing the jobs
        // they hold), then the job source (handing back jobs not started).
        services.AddHostedService(provider => provider.GetRequiredService<RedisSigningJobSource>());
        AddSigning(services);
        services.AddHostedService<WorkerHeartbeat>();
        services.AddHostedService<SignerMetricsServer>();
        return services;
    }

    private static void AddCommon(IServiceCollection services, IConfiguration configuration, Func<EstOptions, PkiNeeds> needs)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<EstOptions>, EstOptionsValidator>();
        services.AddOptions<EstOptions>()
            .Bind(configuration.GetSection(EstOptions.Section))
            .ValidateOnStart();
        services.AddSingleton(provider => PkiMaterialLoader.Load(Options(provider), provider.GetRequiredService<TimeProvider>(), needs(Options(provider))));
        services.AddSingleton(provider => provider.GetRequiredService<PkiMaterial>().Ca);
        services.AddCertificateStore();
        services.AddSingleton(provider => KeyBlocklistFile.Load(Options(provider).KeyBlocklistPath));
        services.AddSingleton(provider => new IssuedCertificateTrust(provider.GetRequiredService<IssuingCa>().ChainDer));
        services.AddSingleton(provider => new StandingCheck(
            provider.GetRequiredService<EstServer.Core.Lifecycle.ICertificateStatusReader>(), provider.GetRequiredService<IssuingCa>(),
            provider.GetRequiredService<TimeProvider>(), Options(provider).RetryAfter));
        services.AddSingleton<RequesterCheck>();
        services.AddSingleton(provider => new KeyChecks(provider.GetRequiredService<WeakKeyCheck>()));
        services.AddSingleton(provider => new EnrollmentPipeline(
            provider.GetRequiredService<IProfileCatalogProvider>(),
            provider.GetRequiredService<RequesterCheck>(),
            provider.GetRequiredService<KeyChecks>(),
            provider.GetRequiredService<IssuingCa>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<EnrollmentPipeline>>(),
            provider.GetService<SigningPhases>()));
        services.AddSingleton(provider => ProfileCatalogFactory.Create(
            Options(provider),
            provider.GetRequiredService<PkiMaterial>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
    }

    private static void AddSigning(IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            PkiMaterial pki = provider.GetRequiredService<PkiMaterial>();
            return new CertificateIssuer(pki.Ca, pki.Signer ?? throw new EstConfigurationException("signing needs the CA key (Est:Ca:KeyPath)"),
                RevocationServices.EndpointsFor(Options(provider)));
        });
        services.AddSingleton<IssuanceRecorder>();
        services.AddSingleton(provider => new SigningPhases(
            provider.GetRequiredService<CertificateIssuer>(),
            provider.GetRequiredService<IssuanceRecorder>(),
            Options(provider).DuplicateKeyPolicy == DuplicateKeyPolicy.Refuse ? new DuplicateKeyCheck() : null));
        services.AddSingleton(provider => new SigningWorkerOptions
        {
            // A machine with more processors than the signer's bound still starts, at the bound.
            Concurrency = Options(provider).Signing.Concurrency is > 0 and var configured ? configured : Math.Min(Environment.ProcessorCount, SigningWorkerOptions.MaxConcurrency),
        });
        services.AddSingleton<ISigningObserver, MetricsSigningObserver>();
        services.AddHostedService<SigningWorker>();
        RevocationServices.AddCrlPublishing(services);
    }

    private static void AddRedis(IServiceCollection services, string clientName)
    {
        services.AddSingleton(provider => RedisQueueSettings.From(Options(provider)));
        services.AddSingleton(provider => new RedisConnection(provider.GetRequiredService<RedisQueueOptions>(), clientName));
        services.AddSingleton(provider => RedisResilience.Create(provider.GetRequiredService<RedisQueueOptions>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new SigningJobCodec(RedisQueueSettings.Secret(Options(provider), provider.GetRequiredService<PkiMaterial>())));
    }

    private static EstOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<EstOptions>>().Value;
}
