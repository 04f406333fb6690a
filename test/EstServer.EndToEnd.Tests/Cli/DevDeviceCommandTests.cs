using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Cli;

/// <summary>estserver dev-device NAME --count N, run as a process: the identities it mints enroll over TLS.</summary>
[TestFixture]
[UnsupportedOSPlatform("windows")]
public sealed class DevDeviceCommandTests
{
    private const string Name = "e2e-fleet";

    private TempDirectory _work = null!;
    private TempDirectory _config = null!;
    private CommandResult _mint = null!;
    private EstTestServer? _server;

    private string DataDir => _work.Combine("data");

    [OneTimeSetUp]
    public async Task MintDevicesThenStartServer()
    {
        _work = new TempDirectory("devdevice");
        _config = new TempDirectory("empty-config");
        _mint = await CommandRunner.EstServerAsync(_work.Path, _config.Path, ["dev-device", Name, "--count", "2", "--data-dir", DataDir]);
        Assert.That(_mint.ExitCode, Is.Zero, _mint.ToString());
        _server = await EstTestServer.StartAsync(new() { DataDirectory = DataDir });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _work?.Dispose();
        _config?.Dispose();
    }

    [Test]
    public void DevDevice_CountTwo_PrintsTwoNumberedCertificateAndKeyPairs()
    {
        string[] pairs = _mint.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("created the development PKI", StringComparison.Ordinal))
            .ToArray();

        Assert.That(pairs, Has.Length.EqualTo(2), _mint.ToString());
        using (Assert.EnterMultipleScope())
        {
            for (int i = 0; i < pairs.Length; i++)
            {
                string[] paths = pairs[i].Split(' ');
                string expected = Path.Combine(_server!.Pki.DevicesDirectory, $"{Name}-{i + 1:D4}");
                Assert.That(paths, Is.EqualTo(new[] { expected + ".pem", expected + ".key" }));
                Assert.That(File.Exists(expected + ".pem") && File.Exists(expected + ".key"), Is.True, expected);
            }
        }
    }

    [Test]
    public void DevDevice_FreshDataDir_CreatesDevelopmentPki()
    {
        Assert.That(_mint.StandardOutput, Does.StartWith("created the development PKI in " + Path.Combine(DataDir, "dev-pki")));
    }

    [Test]
    public void DevDevice_MintedKeys_AreOwnerReadWriteOnly()
    {
        string[] keys = Directory.GetFiles(_server!.Pki.DevicesDirectory, "*.key");

        Assert.That(keys, Has.Length.EqualTo(2));
        Assert.That(keys.Select(File.GetUnixFileMode), Is.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task SimpleEnroll_MintedDeviceIdentity_Returns200(int number)
    {
        string stem = Path.Combine(_server!.Pki.DevicesDirectory, $"{Name}-{number:D4}");
        using X509Certificate2 identity = TestCertificates.LoadPem(stem + ".pem", stem + ".key");
        using HttpClient client = _server.CreateClient(identity);
        TestCsr csr = TestCsr.Create($"CN={Name}-{number:D4}-op");

        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, EstRequests.SimpleEnroll, csr);

        IssuedCertificateAssert.CertifiesCsr(issued, csr);
        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, _server.IssuingCa, _server.TrustAnchor);
        Assert.That(identity.GetNameInfo(X509NameType.SimpleName, forIssuer: false), Is.EqualTo($"{Name}-{number:D4}"));
    }

    [Test]
    public async Task SimpleReenroll_MintedDeviceIdentity_Returns403()
    {
        string stem = Path.Combine(_server!.Pki.DevicesDirectory, $"{Name}-0001");
        using X509Certificate2 identity = TestCertificates.LoadPem(stem + ".pem", stem + ".key");
        using HttpClient client = _server.CreateClient(identity);

        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create($"CN={Name}-0001"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden);
    }
}
