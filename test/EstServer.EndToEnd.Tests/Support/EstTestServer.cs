using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.Host.Startup;
using EstServer.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The real server for an end-to-end test, listening with Kestrel and TLS on 127.0.0.1 and a port the OS
/// picks, on a development PKI, until disposed: built in-process by the same code as the binary's Main,
/// or the built binary as its own process, waited for until it printed that it is ready and its output
/// captured (<see cref="Process"/>). <see cref="EstTestServerOptions"/> says which, with what settings,
/// profiles, directories and Redis. Here too live the clients for its dev PKI.
/// </summary>
public sealed partial class EstTestServer : IAsyncDisposable
{
    private readonly WebApplication? _app;
    private readonly TempDirectory _owned;

    private EstTestServer(WebApplication? app, ServerProcess? process, TempDirectory owned, string workingDirectory, string dataDir, string? profilesDirectory, Uri baseAddress)
    {
        _app = app;
        Process = process;
        _owned = owned;
        WorkingDirectory = workingDirectory;
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

    /// <summary>The plain-HTTP listener for CRL and OCSP (http://127.0.0.1:PORT), when the server has one and said where.</summary>
    public Uri? HttpAddress { get; private init; }

    [System.Text.RegularExpressions.GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial System.Text.RegularExpressions.Regex ListeningHttp();

    /// <summary>https://127.0.0.1:PORT.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The binary's output, to wait for what it logs; null for an in-process server.</summary>
    public ServerProcess? Process { get; }

    /// <summary>The binary's working directory (for an in-process server, the temp directory it was given).</summary>
    public string WorkingDirectory { get; }

    public string DataDir { get; }

    /// <summary>The Est:ProfilesPath directory the server serves (and reloads), when the profiles were written for it.</summary>
    public string? ProfilesDirectory { get; }

    public DevPkiLayout Pki { get; }

    /// <summary>trust-anchor.pem: the dev root CA, the only thing the test clients trust.</summary>
    public X509Certificate2 TrustAnchor { get; }

    public X509Certificate2 IssuingCa { get; }

    /// <summary>The demo device's IDevID (device.pem + device.key), signed by the manufacturer CA.</summary>
    public X509Certificate2 DemoDevice { get; }

    public static async Task<EstTestServer> StartAsync(EstTestServerOptions? options = null)
    {
        options ??= new EstTestServerOptions();
        var owned = new TempDirectory(options.Purpose);
        try
        {
            string? profilesDirectory = WriteProfiles(options, owned);
            // An ephemeral plain-HTTP port, so servers started side by side never fight over the default 8080.
            List<string> settings = ["--urls", "https://127.0.0.1:0", "--Est:Revocation:HttpUrl=http://127.0.0.1:0"];
            if (profilesDirectory is not null)
            {
                settings.Add("--Est:ProfilesPath=" + profilesDirectory);
            }

            if (options.Redis is not null)
            {
                settings.Add("--Est:Redis=" + options.Redis);
            }

            return options.Binary
                ? await StartBinaryAsync(options, owned, profilesDirectory, settings).ConfigureAwait(false)
                : await StartInProcessAsync(options, owned, profilesDirectory, settings).ConfigureAwait(false);
        }
        catch
        {
            owned.Dispose();
            throw;
        }
    }

    public HttpClient CreateClient(X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.None, bool newConnectionPerRequest = false) =>
        TestHttpClients.Create(BaseAddress, TrustAnchor, clientCertificate, protocols, newConnectionPerRequest);

    /// <summary>The dev PKI's demo manufacturer CA with its key, to mint more device identities.</summary>
    public X509Certificate2 LoadManufacturerCa() => TestCertificates.LoadPem(Pki.ManufacturerCaCertificate, Pki.ManufacturerCaKey);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                try
                {
                    await _app.StopAsync().ConfigureAwait(false);
                }
                finally
                {
                    await _app.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (Process is not null)
            {
                await Process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            TrustAnchor.Dispose();
            IssuingCa.Dispose();
            DemoDevice.Dispose();
            _owned.Dispose();
        }
    }

    private static string? WriteProfiles(EstTestServerOptions options, TempDirectory owned)
    {
        if (options.WriteProfiles is null && options.Profiles is null)
        {
            return null;
        }

        string directory = owned.Combine("profiles");
        Directory.CreateDirectory(directory);
        (options.WriteProfiles ?? (path => TestProfile.WriteDirectory(path, [.. options.Profiles!])))(directory);
        return directory;
    }

    private static async Task<EstTestServer> StartInProcessAsync(EstTestServerOptions options, TempDirectory owned, string? profilesDirectory, List<string> settings)
    {
        if (options.Environment is not null || options.ConfigDirectory is not null || options.WorkingDirectory is not null)
        {
            throw new ArgumentException("environment, config and working directory are for the binary (Binary = true)", nameof(options));
        }

        string dataDir = options.DataDirectory ?? owned.Combine("data");
        WebApplication? app = null;
        try
        {
            app = EstServerApplication.Build([.. settings, "--Est:DataDir=" + dataDir, "--Logging:LogLevel:Default=Warning", .. options.Settings]);
            await app.StartAsync().ConfigureAwait(false);
            string address = app.Urls.Single(url => url.StartsWith("https://", StringComparison.Ordinal));
            var baseAddress = new Uri(address);
            Assert.That(baseAddress.Port, Is.GreaterThan(0), $"bound address {address}");
            return new EstTestServer(app, null, owned, owned.Path, dataDir, profilesDirectory, baseAddress)
            {
                HttpAddress = app.Urls.Where(url => url.StartsWith("http://", StringComparison.Ordinal)).Select(url => new Uri(url)).FirstOrDefault(),
            };
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static async Task<EstTestServer> StartBinaryAsync(EstTestServerOptions options, TempDirectory owned, string? profilesDirectory, List<string> settings)
    {
        string workingDirectory = options.WorkingDirectory ?? owned.Combine("work");
        string configDirectory = options.ConfigDirectory ?? owned.Combine("config");
        Directory.CreateDirectory(workingDirectory);
        Directory.CreateDirectory(configDirectory);
        if (options.DataDirectory is not null)
        {
            settings.Add("--Est:DataDir=" + options.DataDirectory);
        }

        ServerProcess process = ServerProcess.Start(options.Name, workingDirectory, configDirectory, options.Environment, [.. settings, .. options.Settings]);
        try
        {
            await process.WaitForLineAsync(options.ReadyLine, options.ReadyTimeout).ConfigureAwait(false);
            string ready = process.OutputLines.First(line => line.Contains(PrintedInstructions.ReadyMarker, StringComparison.Ordinal));
            var estRoot = new Uri(ready[(ready.IndexOf(PrintedInstructions.ReadyMarker, StringComparison.Ordinal) + PrintedInstructions.ReadyMarker.Length)..].Trim());
            string dataDir = options.DataDirectory ?? Path.Combine(workingDirectory, "data");
            return new EstTestServer(null, process, owned, workingDirectory, dataDir, profilesDirectory, new Uri(estRoot.GetLeftPart(UriPartial.Authority)))
            {
                HttpAddress = process.OutputLines.Select(line => ListeningHttp().Match(line)).Where(match => match.Success).Select(match => new Uri(match.Groups["url"].Value)).FirstOrDefault(),
            };
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
