using EstServer.Core.Authentication;
using EstServer.Core.Authority;
using EstServer.Core.Issuance;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Host.Configuration;
using EstServer.Host.Endpoints;
using EstServer.Host.Pki;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Startup;

/// <summary>Wires the EST server's parts together.</summary>
public static class EstServerServices
{
    public static IServiceCollection AddEstServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<EstOptions>, EstOptionsValidator>();
        services.AddOptions<EstOptions>()
            .Bind(configuration.GetSection(EstOptions.Section))
            .PostConfigure(options => options.ApplyEnvironmentDefaults())
            .ValidateOnStart();

        services.AddSingleton(provider => PkiMaterialLoader.Load(Options(provider), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => provider.GetRequiredService<PkiMaterial>().Ca);
        services.AddSingleton(provider => new IssuedCertificateTrust(provider.GetRequiredService<IssuingCa>()));
        services.AddSingleton<ClientCertificateValidator>();
        services.AddSingleton(provider => ProfileCatalogFactory.Create(
            Options(provider),
            provider.GetRequiredService<PkiMaterial>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));

        services.AddSingleton(provider =>
        {
            PkiMaterial pki = provider.GetRequiredService<PkiMaterial>();
            return new CertificateIssuer(pki.Ca, pki.Signer ?? throw new EstConfigurationException("the embedded signer needs the CA key (Est:Ca:KeyPath)"));
        });
        services.AddSingleton(provider =>
        {
            EstOptions options = Options(provider);
            return new InProcessSigningQueue(
                new InProcessSigningQueueOptions { Capacity = options.Signing.QueueCapacity, RetryAfter = options.RetryAfter },
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ISigningQueue>(provider => provider.GetRequiredService<InProcessSigningQueue>());
        services.AddSingleton<ISigningJobSource>(provider => provider.GetRequiredService<InProcessSigningQueue>());
        services.AddSingleton<SigningJobProcessor>();
        services.AddSingleton(provider => new SigningWorkerOptions
        {
            Concurrency = Options(provider).Signing.Concurrency is > 0 and var configured ? configured : Environment.ProcessorCount,
        });
        services.AddHostedService<SigningWorker>();

        services.AddSingleton(provider => new EstAuthorityOptions { WaitBudget = Options(provider).EnrollmentWaitBudget });
        services.AddSingleton<EstAuthority>();
        services.AddSingleton<EstEndpoints>();
        services.AddHostedService<EnrollmentInstructions>();
        return services;
    }

    private static EstOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<EstOptions>>().Value;
}
