using EstServer.Core.Lifecycle;
using EstServer.Host.Configuration;
using EstServer.Store;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Startup;

/// <summary>
/// The certificate store for every role: one <see cref="SqlCertificateStore"/> per process, opened and
/// migrated on first use, seen by each consumer through the narrow view it needs.
/// </summary>
public static class CertificateStoreServices
{
    public static IServiceCollection AddCertificateStore(this IServiceCollection services)
    {
        services.AddSingleton(provider => Open(provider.GetRequiredService<IOptions<EstOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ICertificateStore>(provider => provider.GetRequiredService<SqlCertificateStore>());
        services.AddSingleton<IIssuanceLedger>(provider => provider.GetRequiredService<SqlCertificateStore>());
        services.AddSingleton<ICertificateStatusReader>(provider => provider.GetRequiredService<SqlCertificateStore>());
        services.AddSingleton<IRevocationList>(provider => provider.GetRequiredService<SqlCertificateStore>());
        services.AddSingleton<ICertificateAdmin>(provider => provider.GetRequiredService<SqlCertificateStore>());
        return services;
    }

    /// <summary>Opens the configured store; a bad setting or an unreachable database ends start-up with one line naming Est:Database.</summary>
    public static SqlCertificateStore Open(EstOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        StoreSettings settings;
        try
        {
            settings = new StoreSettings(options.DataDir, options.Database);
        }
        catch (ArgumentException exception)
        {
            throw new EstConfigurationException($"Est:Database: {exception.Message}", exception);
        }

        try
        {
            if (settings.Engine == StoreEngine.Sqlite)
            {
                // A PostgreSQL store needs no local state: the CLI run against it leaves no empty data directory.
                Directory.CreateDirectory(Path.GetDirectoryName(settings.SqlitePath)!);
            }

            SqlCertificateStore store = CertificateStores.Open(settings, time, loggers);
            if (options.UsesRedis && settings.Engine == StoreEngine.Sqlite)
            {
                // Each process would record into, and read from, a file of its own: a host could not see
                // what the signers issued or an operator revoked. Fine on one machine for a demo only.
                loggers.CreateLogger(typeof(CertificateStoreServices).FullName!).LogWarning(
                    "Redis mode with a local SQLite store ({Path}): hosts and signer workers on other machines do not share it; set Est:Database to a PostgreSQL database they all use",
                    settings.SqlitePath);
            }

            return store;
        }
        catch (StoreUnavailableException exception)
        {
            throw new EstConfigurationException($"the certificate store ({settings}) cannot be opened: {exception.Message}", exception);
        }
    }
}
