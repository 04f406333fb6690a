using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// The real server (Program's Main, services, middleware and routes) on TestServer, with its own data
/// directory (the dev PKI is created there) and client certificates injected per request.
/// </summary>
internal sealed class EstHostFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _dataDir = new();
    private readonly TempDirectory? _profilesDir;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly bool _captureLogs;

    /// <param name="profiles">
    /// Written into a profile directory of this factory's own, which becomes Est:ProfilesPath; without
    /// them the server runs on its built-in default profile (no profile directory exists where tests run).
    /// </param>
    /// <param name="captureLogs">
    /// True: the host's log providers are replaced by <see cref="Logs"/>. False: the host keeps the
    /// providers it configures itself (the console, in text or JSON).
    /// </param>
    public EstHostFactory(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        IReadOnlyList<TestProfile>? profiles = null,
        bool captureLogs = true)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        _configureServices = configureServices;
        // As if over TLS: EST and the admin API are refused over plain HTTP (CreatePlainHttpClient is that listener).
        ClientOptions.BaseAddress = new Uri("https://localhost");
        _captureLogs = captureLogs;
        if (profiles is not null)
        {
            _profilesDir = new TempDirectory();
            TestProfile.WriteDirectory(_profilesDir.Path, [.. profiles]);
        }
    }

    public string DataDir => _dataDir.Path;

    /// <summary>The profile directory the server reads (only when the factory was given profiles).</summary>
    public string ProfilesDir => _profilesDir?.Path ?? throw new InvalidOperationException("this factory was created without profiles");

    /// <summary>The development PKI the server created in <see cref="DataDir"/> (after start).</summary>
    public DevPkiLayout DevPki => DevPkiLayout.InDataDir(DataDir);

    public PresentedCertificates ClientCertificates { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts the server (creating the dev PKI) if it is not running yet.</summary>
    public EstHostFactory Started()
    {
        _ = Server;
        return this;
    }

    /// <summary>The dev PKI's demo device identity (an IDevID signed by the manufacturer CA).</summary>
    public X509Certificate2 LoadDeviceIdentity() => TestCertificates.LoadPem(Started().DevPki.DeviceCertificate, DevPki.DeviceKey);

    /// <summary>The dev issuing CA with its key, to make certificates "issued earlier" by this server.</summary>
    public X509Certificate2 LoadIssuingCa() => TestCertificates.LoadPem(Started().DevPki.IssuingCaCertificate, DevPki.IssuingCaKey);

    /// <summary>
    /// A client whose requests arrive as if over mutual TLS with <paramref name="certificate"/> (none if
    /// null), from <paramref name="remoteAddress"/> (none if null, as TestServer has it).
    /// </summary>
    public HttpClient CreateClientPresenting(X509Certificate2? certificate, string? remoteAddress = null)
    {
        HttpClient client = CreateClient();
        if (certificate is not null)
        {
            client.DefaultRequestHeaders.Add(PresentedCertificates.Header, ClientCertificates.Register(certificate));
        }

        if (remoteAddress is not null)
        {
            client.DefaultRequestHeaders.Add(ClientCertificateStartupFilter.RemoteAddressHeader, remoteAddress);
        }

        return client;
    }

    /// <summary>A client as the plain-HTTP listener sees it (Request.IsHttps false).</summary>
    public HttpClient CreatePlainHttpClient()
    {
        HttpClient client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost") });
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("Est:DataDir", DataDir);
        if (_profilesDir is not null)
        {
            builder.UseSetting("Est:ProfilesPath", _profilesDir.Path);
        }
        else if (Directory.Exists(EstPaths.DefaultProfilesDirectory))
        {
            // Without profiles the tests expect the built-in default profile, which only applies when
            // no profile directory exists where the server looks by default.
            throw new InvalidOperationException(
                $"{Path.GetFullPath(EstPaths.DefaultProfilesDirectory)} exists (EST_CONFIG_DIR or the working directory); the host tests need the built-in default profile");
        }

        foreach ((string key, string? value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_captureLogs)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(Logs);
            });
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new ClientCertificateStartupFilter(ClientCertificates));
            _configureServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            if (disposing)
            {
                _dataDir.Dispose();
                _profilesDir?.Dispose();
            }
        }
    }
}
