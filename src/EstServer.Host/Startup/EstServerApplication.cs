using System.Security.Authentication;
using EstServer.Host.Configuration;
using EstServer.Host.Endpoints;
using EstServer.Host.Http;
using EstServer.Host.Pki;
using EstServer.Host.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using Prometheus;

namespace EstServer.Host.Startup;

/// <summary>Builds the EST web application: configuration, Kestrel with mutual TLS, services and routes.</summary>
public static class EstServerApplication
{
    public const string DefaultUrl = "https://localhost:8443";

    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        AddConfigFile(builder.Configuration);
        builder.Services.AddSingleton(new ListenSettings(ListenSetting(builder.Configuration), HttpListenSetting(builder.Configuration)));
        AddListenAddresses(builder);

        builder.WebHost.ConfigureKestrel(ConfigureKestrel);
        ConfigureLogging(builder.Logging, builder.Configuration);
        var startupLog = new StartupLogFilter();
        startupLog.AddTo(builder.Logging);
        builder.Services.AddEstServer(builder.Configuration);
        builder.Services.AddEstRateLimiting();

        WebApplication app = builder.Build();
        startupLog.Watch(app.Lifetime);

        // Load the PKI and the profiles now, inside the caller's error handling, so a configuration
        // mistake ends start-up with its message rather than a host failure log with a stack trace.
        _ = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        _ = app.Services.GetRequiredService<PkiMaterial>();
        _ = app.Services.GetRequiredService<EstServer.Core.Profiles.IProfileCatalogProvider>();
        _ = app.Services.GetRequiredService<EstServer.Core.Csr.WeakKeyCheck>();
        _ = app.Services.GetRequiredService<EstServer.Store.SqlCertificateStore>();
        ReportRevocation(app);
        if (app.Services.GetRequiredService<IOptions<EstOptions>>().Value.UsesRedis)
        {
            _ = app.Services.GetRequiredService<EstServer.Redis.SigningJobCodec>();
        }
        app.UseMiddleware<EstExceptionMiddleware>();
        app.UseMiddleware<PlainHttpGuard>();
        app.UseMiddleware<EstRequestObserver>();
        app.UseRateLimiter();
        EstEndpoints.Map(app);
        HealthEndpoints.Map(app);
        RevocationRoutes.Map(app);
        EstServer.Host.Admin.AdminEndpoints.Map(app);
        if (app.Services.GetRequiredService<IOptions<EstOptions>>().Value.Metrics.Enabled)
        {
            app.MapMetrics("/metrics");
        }

        return app;
    }

    /// <summary>Says at start-up what a relying party cannot do here, so it is not found out from a device in the field.</summary>
    private static void ReportRevocation(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() => WarnAboutRevocation(app));

    private static void WarnAboutRevocation(WebApplication app)
    {
        EstOptions options = app.Services.GetRequiredService<IOptions<EstOptions>>().Value;
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EstServer.Host.Startup.Revocation");
        if (app.Services.GetRequiredService<OcspIdentityHolder>().Identity is null)
        {
            logger.LogWarning("No OCSP responder: /ocsp answers 404. Set Est:Revocation:OcspCertificatePath and OcspKeyPath (a certificate with id-kp-OCSPSigning issued by the CA)");
        }

        if (!options.UsesRedis && RevocationServices.EndpointsFor(options) is null)
        {
            logger.LogWarning("Issued certificates carry no CRL or OCSP address: set Est:Revocation:PublicBaseUrl (the HTTP listener {HttpUrl} names no fixed host and port)", options.Revocation.HttpUrl);
        }
    }

    /// <summary>Runs the server until it stops; a listen address already taken ends start-up as a configuration problem naming its setting.</summary>
    public static async Task RunAsync(WebApplication app)
    {
        // Read now: once start-up has failed, the application's services are disposed.
        ListenSettings settings = app.Services.GetRequiredService<ListenSettings>();
        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException exception) when (exception.InnerException is AddressInUseException)
        {
            // Kestrel's message names the address: "Failed to bind to address http://...".
            string setting = exception.Message.Contains("http://", StringComparison.OrdinalIgnoreCase) ? settings.Http : settings.Https;
            throw new EstConfigurationException($"{setting} is already in use (address in use)", exception);
        }
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

    /// <summary>Est:LogFormat=json switches the console to one JSON object per line, with scopes (request id, client) as fields.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        // Npgsql logs every command at Information; that is a database trace, not an EST server's log.
        logging.AddFilter("Npgsql", LogLevel.Warning);
        // Read from the configuration, not the options: logging is set up before the options exist. An
        // unknown value leaves the default text here and stops start-up in the validator.
        if (SettingChoice.TryParse(configuration[$"{EstOptions.Section}:{nameof(EstOptions.LogFormat)}"], out LogOutputFormat format) && format == LogOutputFormat.Json)
        {
            logging.ClearProviders();
            logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }

    /// <summary>
    /// The HTTPS address (configured, else <see cref="DefaultUrl"/>) plus the plain-HTTP listener for
    /// CRL and OCSP (Est:Revocation:HttpUrl). An operator who lists Kestrel:Endpoints lists both there.
    /// </summary>
    private static void AddListenAddresses(WebApplicationBuilder builder)
    {
        IConfiguration configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").Exists() || !string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"]))
        {
            return;
        }

        RevocationOptions revocation = configuration.GetSection($"{EstOptions.Section}:{nameof(EstOptions.Revocation)}").Get<RevocationOptions>() ?? new RevocationOptions();
        string urls = configuration["urls"] is { Length: > 0 } configured ? configured : DefaultUrl;
        bool listed = urls.Split(';', StringSplitOptions.TrimEntries).Contains(revocation.HttpUrl.Trim(), StringComparer.OrdinalIgnoreCase);
        builder.WebHost.UseUrls(revocation.ServesHttp && !listed ? $"{urls};{revocation.HttpUrl.Trim()}" : urls);
    }

    /// <summary>The setting the listen addresses came from, as Kestrel ranks them, with its value.</summary>
    private static string HttpListenSetting(IConfiguration configuration) =>
        $"Est:Revocation:HttpUrl {(configuration[$"{EstOptions.Section}:{nameof(EstOptions.Revocation)}:{nameof(RevocationOptions.HttpUrl)}"] is { Length: > 0 } url ? url : RevocationOptions.DefaultHttpUrl + " (the default)")}";

    private static string ListenSetting(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").Exists() ? "an address in Kestrel:Endpoints"
        : configuration["urls"] is { Length: > 0 } urls ? $"urls {urls}"
        : configuration["https_ports"] is { Length: > 0 } httpsPorts ? $"https_ports {httpsPorts}"
        : configuration["http_ports"] is { Length: > 0 } httpPorts ? $"http_ports {httpPorts}"
        : $"urls {DefaultUrl} (the default)";

    private static void ConfigureKestrel(WebHostBuilderContext context, Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        EstOptions options = kestrel.ApplicationServices.GetRequiredService<IOptions<EstOptions>>().Value;
        KestrelLimitOptions limits = options.Limits;
        kestrel.Limits.MaxRequestBodySize = EstRequestBody.KestrelBackstop(options.MaxRequestBodyBytes);
        kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
        kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
        // Endpoint defaults wrap the TLS layer, so this runs after the connection's last request.
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(ClientCertificateRelease.Middleware));
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
            https.HandshakeTimeout = limits.HandshakeTimeout;
        });
    }
}
