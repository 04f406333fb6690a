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
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private TempDirectory _work = null!;
    private EstTestServer? _second;
    private string _firstOutput = "";
    private int _firstExitCode = -1;
    private Dictionary<string, byte[]> _afterFirstStart = [];
    private Dictionary<string, UnixFileMode> _keyModes = [];
    private UnixFileMode _directoryMode;
    private PrintedInstructions _secondInstructions = null!;

    private string DevPkiDirectory => _work.Combine("data", "dev-pki");

    /// <summary>The binary in the same working directory each time, with an empty config directory.</summary>
    private EstTestServerOptions Options => new() { Binary = true, WorkingDirectory = _work.Path, Profiles = null };

    [OneTimeSetUp]
    public async Task StartTwiceInOneDirectory()
    {
        _work = new TempDirectory("devpki");

        EstTestServer first = await EstTestServer.StartAsync(Options);
        await using (first)
        {
            _afterFirstStart = Directory.GetFiles(DevPkiDirectory).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
            _keyModes = Directory.GetFiles(DevPkiDirectory, "*.key").ToDictionary(path => Path.GetFileName(path), File.GetUnixFileMode);
            _directoryMode = File.GetUnixFileMode(DevPkiDirectory);
            _firstExitCode = await first.Process!.StopGracefullyAsync();
            _firstOutput = first.Process.StandardOutput;
        }

        _second = await EstTestServer.StartAsync(Options);
        _secondInstructions = PrintedInstructions.Parse(_second.Process!.OutputLines);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        _work?.Dispose();
    }

    [Test]
    public void Startup_FreshDirectory_WarnsThatItCreatedDevelopmentPki()
    {
        Assert.That(_firstOutput, Does.Contain("created a development PKI in " + DevPkiDirectory).And.Contain("Do not use it in production"));
    }

    [Test]
    public void Startup_FreshDirectory_WritesEveryPrivateKeyOwnerReadWriteOnly()
    {
        Assert.That(_keyModes.Keys, Is.EquivalentTo(new[] { "root-ca.key", "issuing-ca.key", "server.key", "manufacturer-ca.key", "device.key", "ocsp-responder.key" }));
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
