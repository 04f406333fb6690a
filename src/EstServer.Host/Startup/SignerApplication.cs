using EstServer.Core.Profiles;
using EstServer.Host.Configuration;
using EstServer.Host.Pki;
using EstServer.Redis;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Startup;

/// <summary>
/// Builds a signer worker: a generic host (no HTTP) that takes signing jobs from Redis and alone holds
/// the CA key. It uses the same configuration sources and data directory conventions as the server.
/// </summary>
public static class SignerApplication
{
    public static IHost Build(string[] args)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
        EstServerApplication.AddConfigFile(builder.Configuration);
        EstServerApplication.ConfigureLogging(builder.Logging, builder.Configuration);
        var startupLog = new StartupLogFilter();
        startupLog.AddTo(builder.Logging);
        builder.Services.AddEstSigner(builder.Configuration);
        IHost host = builder.Build();
        startupLog.Watch(host.Services.GetRequiredService<IHostApplicationLifetime>());

        EstOptions options = host.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        if (!options.UsesRedis)
        {
            throw new EstConfigurationException("a signer worker takes its jobs from Redis: set Est:Redis (e.g. Est__Redis=127.0.0.1:6379)");
        }

        // Fail now, with the message, on a missing key, an invalid profile set or a bad queue secret.
        _ = host.Services.GetRequiredService<PkiMaterial>();
        _ = host.Services.GetRequiredService<IProfileCatalogProvider>();
        _ = host.Services.GetRequiredService<EstServer.Core.Csr.WeakKeyCheck>();
        _ = host.Services.GetRequiredService<EstServer.Store.SqlCertificateStore>();
        _ = host.Services.GetRequiredService<SigningJobCodec>();
        return host;
    }
}
