using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.Host.Configuration;
using EstServer.Host.Endpoints;
using EstServer.Host.Pki;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Startup;

/// <summary>
/// Revocation in each role: whoever holds the CA key publishes CRLs into the store and names the
/// revocation addresses in what it issues; every host serves the CRL from the store and answers OCSP.
/// </summary>
public static class RevocationServices
{
    /// <summary>How stale a host's view of the CRL may be: well inside the 5 s a revocation has to show everywhere.</summary>
    private static readonly TimeSpan CrlRefresh = TimeSpan.FromSeconds(1);

    /// <summary>The host: CRL, CA certificate and OCSP routes.</summary>
    public static void AddRevocationServing(IServiceCollection services)
    {
        services.AddSingleton(provider => new CrlCache(provider.GetRequiredService<IRevocationList>(), provider.GetRequiredService<TimeProvider>(), CrlRefresh));
        services.AddSingleton(provider => new OcspIdentityHolder(
            OcspIdentityLoader.Load(Options(provider).Revocation, provider.GetRequiredService<PkiMaterial>(), provider.GetRequiredService<TimeProvider>())));
        services.AddSingleton<RevocationRoutes>();
    }

    /// <summary>Where the CA key is: the CRL publisher, and the CDP/AIA addresses for the issuer.</summary>
    public static void AddCrlPublishing(IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            PkiMaterial pki = provider.GetRequiredService<PkiMaterial>();
            return new CrlBuilder(pki.Ca, pki.Signer ?? throw new EstConfigurationException("publishing CRLs needs the CA key (Est:Ca:KeyPath)"));
        });
        services.AddSingleton(provider => new CrlPublisherOptions { Validity = Options(provider).Revocation.CrlValidity, RefreshBefore = Options(provider).Revocation.CrlValidity / 2 });
        services.AddHostedService<CrlPublisher>();
    }

    /// <summary>The addresses issued certificates carry, or null (with a warning at start-up) when none can be named.</summary>
    public static RevocationEndpoints? EndpointsFor(EstOptions options) =>
        options.Revocation.EffectivePublicBaseUrl() is { } publicBase ? new RevocationEndpoints(publicBase) : null;

    private static EstOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<EstOptions>>().Value;
}
