using System.Security.Authentication;
using EstServer.Host.Configuration;
using EstServer.Host.Endpoints;
using EstServer.Host.Http;
using EstServer.Host.Pki;
using EstServer.Host.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Startup;

/// <summary>Builds the EST web application: configuration, Kestrel with mutual TLS, services and routes.</summary>
public static class EstServerApplication
{
    public const string DefaultUrl = "https://localhost:8443";

    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        AddConfigFile(builder.Configuration);
        if (!HasListenAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(ConfigureKestrel);
        builder.Services.AddEstServer(builder.Configuration);

        WebApplication app = builder.Build();

        // Load the PKI and the profiles now, inside the caller's error handling, so a configuration
        // mistake ends start-up with its message rather than a host failure log with a stack trace.
        _ = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        _ = app.Services.GetRequiredService<PkiMaterial>();
        _ = app.Services.GetRequiredService<EstServer.Core.Profiles.IProfileCatalogProvider>();
        if (app.Services.GetRequiredService<IOptions<EstOptions>>().Value.UsesRedis)
        {
            _ = app.Services.GetRequiredService<EstServer.Redis.SigningJobCodec>();
        }
        app.UseMiddleware<EstExceptionMiddleware>();
        EstEndpoints.Map(app);
        HealthEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// config/estserver.json (or $EST_CONFIG_DIR/estserver.json) sits below environment variables and
    /// the command line, so Est__Name=value and --Est:Name=value override it the usual ASP.NET way.
    /// </summary>
    public static void AddConfigFile(IConfigurationBuilder configuration)
    {
        string directory = EstPaths.ConfigDirectory;
        var source = new JsonConfigurationSource
        {
            Path = Path.GetFullPath(Path.Combine(directory, "estserver.json")),
            Optional = true,
            ReloadOnChange = false,
        };
        source.ResolveFileProvider();
        IList<IConfigurationSource> sources = configuration.Sources;
        int environmentIndex = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        sources.Insert(environmentIndex >= 0 ? environmentIndex : sources.Count, source);
    }

    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["urls"])
        || !string.IsNullOrEmpty(configuration["http_ports"])
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    private static void ConfigureKestrel(WebHostBuilderContext context, Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        EstOptions options = kestrel.ApplicationServices.GetRequiredService<IOptions<EstOptions>>().Value;
        kestrel.Limits.MaxRequestBodySize = EstRequestBody.KestrelBackstop(options.MaxRequestBodyBytes);
        kestrel.ConfigureHttpsDefaults(https =>
        {
            PkiMaterial pki = kestrel.ApplicationServices.GetRequiredService<PkiMaterial>();
            https.ServerCertificate = pki.ServerCertificate ?? throw new EstConfigurationException("no HTTPS server certificate was loaded");
            https.ServerCertificateChain = pki.ServerChain;
            // Asked for, not required: cacerts is open to all (RFC 7030 §4.1.1), and a missing or
            // untrusted certificate must get an HTTP answer with a reason, not a failed handshake.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            ClientChainCapture capture = kestrel.ApplicationServices.GetRequiredService<ClientChainCapture>();
            https.ClientCertificateValidation = capture.Validate;
            https.OnAuthenticate = capture.OnAuthenticate;
            https.CheckCertificateRevocation = false;
            // Many device TLS stacks still speak only TLS 1.2 (RFC 7030 §3.3.1 requires 1.1 or later).
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            https.HandshakeTimeout = TimeSpan.FromSeconds(10);
        });
    }
}
