using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.Host.Startup;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The real server, built by the same code as the binary's Main, listening with Kestrel and TLS on
/// 127.0.0.1 and a port the OS picks, on a development PKI created in a temp data directory.
/// </summary>
public sealed class InProcessEstServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedDirectory;

    private InProcessEstServer(WebApplication app, TempDirectory? ownedDirectory, string dataDir, Uri baseAddress)
    {
        _app = app;
        _ownedDirectory = ownedDirectory;
        DataDir = dataDir;
        BaseAddress = baseAddress;
        Pki = DevPkiLayout.InDataDir(dataDir);
        TrustAnchor = X509CertificateLoader.LoadCertificateFromFile(Pki.TrustAnchor);
        IssuingCa = X509CertificateLoader.LoadCertificateFromFile(Pki.IssuingCaCertificate);
        DemoDevice = TestCertificates.LoadPem(Pki.DeviceCertificate, Pki.DeviceKey);
    }

    public Uri BaseAddress { get; }

    public string DataDir { get; }

    public DevPkiLayout Pki { get; }

    /// <summary>trust-anchor.pem: the dev root CA, the only thing the test clients trust.</summary>
    public X509Certificate2 TrustAnchor { get; }

    public X509Certificate2 IssuingCa { get; }

    /// <summary>The demo device's IDevID (device.pem + device.key), signed by the manufacturer CA.</summary>
    public X509Certificate2 DemoDevice { get; }

    /// <summary>Starts on a new temp data directory; <paramref name="settings"/> are extra command-line arguments.</summary>
    public static Task<InProcessEstServer> StartAsync(params string[] settings) => StartCoreAsync(dataDir: null, settings);

    /// <summary>Starts on an existing <paramref name="dataDir"/>, which is left in place afterwards.</summary>
    public static Task<InProcessEstServer> StartOnDataDirAsync(string dataDir, params string[] settings) => StartCoreAsync(dataDir, settings);

    private static async Task<InProcessEstServer> StartCoreAsync(string? dataDir, string[] settings)
    {
        TempDirectory? owned = dataDir is null ? TempDirectory.Create("server") : null;
        string directory = dataDir ?? owned!.Combine("data");
        string[] args =
        [
            "--urls", "https://127.0.0.1:0",
            "--Est:DataDir=" + directory,
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        WebApplication? app = null;
        try
        {
            app = EstServerApplication.Build(args);
            await app.StartAsync().ConfigureAwait(false);
            string address = app.Urls.Single();
            var baseAddress = new Uri(address);
            Assert.That(baseAddress.Port, Is.GreaterThan(0), $"bound address {address}");
            return new InProcessEstServer(app, owned, directory, baseAddress);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            owned?.Dispose();
            throw;
        }
    }

    public HttpClient CreateClient(X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.None, bool newConnectionPerRequest = false) =>
        TestHttpClients.Create(BaseAddress, TrustAnchor, clientCertificate, protocols, newConnectionPerRequest);

    public X509Certificate2 LoadManufacturerCa() => TestCertificates.LoadPem(Pki.ManufacturerCaCertificate, Pki.ManufacturerCaKey);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            TrustAnchor.Dispose();
            IssuingCa.Dispose();
            DemoDevice.Dispose();
            _ownedDirectory?.Dispose();
        }
    }
}
