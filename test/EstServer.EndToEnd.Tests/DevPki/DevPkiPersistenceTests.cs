using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.DevPki;

/// <summary>
/// The development PKI as the binary leaves it on disk: created once with owner-only keys, reused
/// unchanged when the server is started again in the same directory.
/// </summary>
[TestFixture]
[UnsupportedOSPlatform("windows")]
public sealed class DevPkiPersistenceTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private TempDirectory _work = null!;
    private TempDirectory _config = null!;
    private ServerProcess? _second;
    private string _firstOutput = "";
    private int _firstExitCode = -1;
    private Dictionary<string, byte[]> _afterFirstStart = [];
    private Dictionary<string, UnixFileMode> _keyModes = [];
    private UnixFileMode _directoryMode;
    private PrintedInstructions _secondInstructions = null!;

    private string DevPkiDirectory => _work.Combine("data", "dev-pki");

    [OneTimeSetUp]
    public async Task StartTwiceInOneDirectory()
    {
        _work = new TempDirectory("devpki");
        _config = new TempDirectory("empty-config");

        ServerProcess first = ServerProcess.Start(_work.Path, _config.Path, "--urls", "https://127.0.0.1:0");
        await using (first)
        {
            await first.WaitForLineAsync(PrintedInstructions.IsLastLine, StartTimeout);
            _afterFirstStart = Directory.GetFiles(DevPkiDirectory).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
            _keyModes = Directory.GetFiles(DevPkiDirectory, "*.key").ToDictionary(path => Path.GetFileName(path), File.GetUnixFileMode);
            _directoryMode = File.GetUnixFileMode(DevPkiDirectory);
            _firstExitCode = await first.StopGracefullyAsync();
            _firstOutput = first.StandardOutput;
        }

        _second = ServerProcess.Start(_work.Path, _config.Path, "--urls", "https://127.0.0.1:0");
        await _second.WaitForLineAsync(PrintedInstructions.IsLastLine, StartTimeout);
        _secondInstructions = PrintedInstructions.Parse(_second.OutputLines);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        _work?.Dispose();
        _config?.Dispose();
    }

    [Test]
    public void Startup_FreshDirectory_WarnsThatItCreatedDevelopmentPki()
    {
        Assert.That(_firstOutput, Does.Contain("created a development PKI in " + DevPkiDirectory).And.Contain("Do not use it in production"));
    }

    [Test]
    public void Startup_FreshDirectory_WritesEveryPrivateKeyOwnerReadWriteOnly()
    {
        Assert.That(_keyModes.Keys, Is.EquivalentTo(new[] { "root-ca.key", "issuing-ca.key", "server.key", "manufacturer-ca.key", "device.key" }));
        using (Assert.EnterMultipleScope())
        {
            foreach ((string file, UnixFileMode mode) in _keyModes)
            {
                Assert.That(mode, Is.EqualTo(OwnerReadWrite), $"{file} is 0600");
            }
        }
    }

    [Test]
    public void Startup_FreshDirectory_CreatesDevPkiDirectoryForOwnerOnly()
    {
        Assert.That(_directoryMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute),
            Is.EqualTo(UnixFileMode.None), $"dev-pki mode {_directoryMode}");
    }

    [Test]
    public void Shutdown_Sigterm_ExitsZero()
    {
        Assert.That(_firstExitCode, Is.Zero, _firstOutput);
    }

    [Test]
    public void Startup_SecondStartInSameDirectory_LeavesEveryPkiFileUnchanged()
    {
        Assert.That(_afterFirstStart.Keys, Does.Contain("trust-anchor.pem"));
        using (Assert.EnterMultipleScope())
        {
            foreach ((string file, byte[] content) in _afterFirstStart)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(DevPkiDirectory, file)), Is.EqualTo(content), $"{file} after the second start");
            }
        }
    }

    [Test]
    public async Task CaCerts_SecondStart_ServesRootFromFirstStartToClientsTrustingIt()
    {
        using X509Certificate2 firstAnchor = X509CertificateLoader.LoadCertificate(PemToDer(_afterFirstStart["trust-anchor.pem"]));
        Uri baseAddress = new(_secondInstructions.EstRoot.GetLeftPart(UriPartial.Authority));
        using HttpClient client = TestHttpClients.Create(baseAddress, firstAnchor);

        using HttpResponseMessage response = await client.GetAsync(new Uri(EstRequests.CaCerts, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(CertsOnlyReader.ReadBase64(body).Select(c => c.Thumbprint), Does.Contain(firstAnchor.Thumbprint));
    }

    private static byte[] PemToDer(byte[] pem) =>
        X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(pem)).RawData;
}
