using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.Host.Configuration;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Admin;

/// <summary>The /admin/v1 services; the admin CA is read only when Est:Admin:CaPath is set.</summary>
public static class AdminServices
{
    public static IServiceCollection AddEstAdmin(this IServiceCollection services)
    {
        services.AddSingleton(provider => new AdminAuthenticator(
            AdminCaLoader.Load(
                provider.GetRequiredService<IOptions<EstOptions>>().Value.Admin,
                provider.GetRequiredService<IProfileCatalogProvider>().Current,
                provider.GetRequiredService<IssuedCertificateTrust>()),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AdminEndpoints>();
        return services;
    }
}
