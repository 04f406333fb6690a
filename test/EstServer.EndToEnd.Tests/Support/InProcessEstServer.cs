using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.Host.Startup;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The real server, built by the same code as the binary's Main, listening with Kestrel and TLS on
/// 127.0.0.1 and a port the OS picks, on a development PKI created in a temp data directory, serving
/// certificate-policy profiles written with <see cref="TestProfile"/> into a temp directory
/// (Est:ProfilesPath): <see cref="DefaultProfiles"/> unless a test brings its own.
/// </summary>
public sealed class InProcessEstServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _ownedDirectory;

    private InProcessEstServer(WebApplication app, TempDirectory ownedDirectory, string dataDir, string profilesDirectory, Uri baseAddress)
    {
        _app = app;
        _ownedDirectory = ownedDirectory;
        DataDir = dataDir;
        ProfilesDirectory = profilesDirectory;
        BaseAddress = baseAddress;
        Pki = DevPkiLayout.InDataDir(dataDir);
        TrustAnchor = X509CertificateLoader.LoadCertificateFromFile(Pki.TrustAnchor);
        IssuingCa = X509CertificateLoader.LoadCertificateFromFile(Pki.IssuingCaCertificate);
        DemoDevice = TestCertificates.LoadPem(Pki.DeviceCertificate, Pki.DeviceKey);
    }

    /// <summary>Policy OID of the default profile of <see cref="DefaultProfiles"/>.</summary>
    public const string DefaultPolicyOid = "2.999.42.1";

    /// <summary>Policy OID of the profile behind the label "field" in <see cref="DefaultProfiles"/>.</summary>
    public const string FieldPolicyOid = "2.999.42.2";

    /// <summary>
    /// What a test that is not about policy gets: a permissive profile on the unlabelled route and a
    /// second one behind the label "field", both trusting the dev PKI's demo manufacturer.
    /// </summary>
    public static IReadOnlyList<TestProfile> DefaultProfiles { get; } =
    [
        new TestProfile { Name = "e2e-default", Default = true, PolicyOid = DefaultPolicyOid },
        new TestProfile { Name = "e2e-field", Labels = ["field"], PolicyOid = FieldPolicyOid },
    ];

    public Uri BaseAddress { get; }

    public string DataDir { get; }

    /// <summary>The Est:ProfilesPath directory the server serves (and reloads).</summary>
    public string ProfilesDirectory { get; }

    public DevPkiLayout Pki { get; }

    /// <summary>trust-anchor.pem: the dev root CA, the only thing the test clients trust.</summary>
    public X509Certificate2 TrustAnchor { get; }

    public X509Certificate2 IssuingCa { get; }

    /// <summary>The demo device's IDevID (device.pem + device.key), signed by the manufacturer CA.</summary>
    public X509Certificate2 DemoDevice { get; }

    /// <summary>Starts on a new temp data directory with <see cref="DefaultProfiles"/>; <paramref name="settings"/> are extra command-line arguments.</summary>
    public static Task<InProcessEstServer> StartAsync(params string[] settings) => StartCoreAsync(dataDir: null, DefaultProfiles, settings);

    /// <summary>Starts on a new temp data directory serving exactly <paramref name="profiles"/>.</summary>
    public static Task<InProcessEstServer> StartWithProfilesAsync(IReadOnlyList<TestProfile> profiles, params string[] settings) =>
        StartCoreAsync(dataDir: null, profiles, settings);

    /// <summary>Starts on a new temp data directory serving the profile files <paramref name="writeProfiles"/> writes into the directory it is given.</summary>
    public static Task<InProcessEstServer> StartWithProfileFilesAsync(Action<string> writeProfiles, params string[] settings) =>
        StartCoreAsync(dataDir: null, writeProfiles, settings);

    /// <summary>Starts on an existing <paramref name="dataDir"/> (left in place afterwards) with <see cref="DefaultProfiles"/>.</summary>
    public static Task<InProcessEstServer> StartOnDataDirAsync(string dataDir, params string[] settings) => StartCoreAsync(dataDir, DefaultProfiles, settings);

    /// <summary>Starts on an existing <paramref name="dataDir"/> (left in place afterwards) serving exactly <paramref name="profiles"/>.</summary>
    public static Task<InProcessEstServer> StartOnDataDirAsync(string dataDir, IReadOnlyList<TestProfile> profiles, params string[] settings) =>
        StartCoreAsync(dataDir, profiles, settings);

    private static Task<InProcessEstServer> StartCoreAsync(string? dataDir, IReadOnlyList<TestProfile> profiles, string[] settings) =>
        StartCoreAsync(dataDir, directory => TestProfile.WriteDirectory(directory, [.. profiles]), settings);

    private static async Task<InProcessEstServer> StartCoreAsync(string? dataDir, Action<string> writeProfiles, string[] settings)
    {
        TempDirectory owned = new TempDirectory("server");
        string directory = dataDir ?? owned.Combine("data");
        string profilesDirectory = owned.Combine("profiles");
        Directory.CreateDirectory(profilesDirectory);
        writeProfiles(profilesDirectory);
        string[] args =
        [
            "--urls", "https://127.0.0.1:0",
            "--Est:DataDir=" + directory,
            "--Est:ProfilesPath=" + profilesDirectory,
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
            return new InProcessEstServer(app, owned, directory, profilesDirectory, baseAddress);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            owned.Dispose();
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
            _ownedDirectory.Dispose();
        }
    }
}
