using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The built binary running in a temp working directory (state in ./data) until disposed, started and
/// waited for until it printed its enrollment walk-through, with clients for its dev PKI.
/// </summary>
public sealed class RunningBinary : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private RunningBinary(TempDirectory work, ServerProcess process)
    {
        Work = work;
        Process = process;
        Pki = DevPkiLayout.InDataDir(work.Combine("data"));
        TrustAnchor = X509CertificateLoader.LoadCertificateFromFile(Pki.TrustAnchor);
        DemoDevice = TestCertificates.LoadPem(Pki.DeviceCertificate, Pki.DeviceKey);
        BaseAddress = process.BaseAddress;
    }

    public TempDirectory Work { get; }

    public ServerProcess Process { get; }

    public DevPkiLayout Pki { get; }

    public X509Certificate2 TrustAnchor { get; }

    public X509Certificate2 DemoDevice { get; }

    public Uri BaseAddress { get; }

    /// <param name="configDirectory">EST_CONFIG_DIR (estserver.json, profiles/).</param>
    public static async Task<RunningBinary> StartAsync(string purpose, string configDirectory, params string[] arguments)
    {
        TempDirectory work = new TempDirectory(purpose);
        ServerProcess? process = null;
        try
        {
            process = ServerProcess.Start(work.Path, configDirectory, ["--urls", "https://127.0.0.1:0", .. arguments]);
            await process.WaitForLineAsync(PrintedInstructions.IsLastLine, StartTimeout).ConfigureAwait(false);
            return new RunningBinary(work, process);
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            work.Dispose();
            throw;
        }
    }

    public HttpClient CreateClient(X509Certificate2? clientCertificate = null) => TestHttpClients.Create(BaseAddress, TrustAnchor, clientCertificate);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Process.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            TrustAnchor.Dispose();
            DemoDevice.Dispose();
            Work.Dispose();
        }
    }
}
