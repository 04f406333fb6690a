using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Cli;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EstServer.Host.Tests.Cli;

/// <summary>
/// `profiles check --csr` runs the server's own phases: for a key on Est:KeyBlocklistPath and for every
/// kind of key-policy refusal, the dry run and the server refuse with the same reason, word for word.
/// The dry run reads its settings from the environment, so this fixture must not run alongside others.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DryRunParityTests
{
    private static readonly string Corpus = Path.Combine(RepositoryPaths.Root, "test", "corpus", "hostile");

    private static readonly TestProfile Profile = new()
    {
        Name = "parity",
        Default = true,
        Keys = "  ec: [P-256]\n  rsa: { minBits: 2048, maxBits: 3072 }\n",
    };

    private TempDirectory _dir = null!;
    private TestCsr _blocked = null!;
    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;
    private EnvironmentVariableScope _environment = null!;

    public static IEnumerable<TestCaseData> RefusedKeys()
    {
        yield return Case("blocklisted", () => null, "blocklist");
        yield return Case("rsa-too-small", () => TestCsr.Create("CN=small", TestKeyType.Rsa1024).Der, "too small");
        yield return Case("rsa-too-large", () => Rsa4096(), "larger than the allowed 3072 bits");
        yield return Case("curve-not-allowed", () => TestCsr.Create("CN=p384", TestKeyType.EcP384).Der, "EC P-384 is not allowed");
        yield return Case("curve-unknown", () => CorpusCsr("bad-brainpoolp256r1"), "not allowed");
        yield return Case("explicit-curve", () => CorpusCsr("bad-explicit-ec-parameters"), "explicit parameters");
        yield return Case("ed25519-not-allowed", () => TestCsr.Create("CN=ed", TestKeyType.Ed25519).Der, "Ed25519 is not allowed");
        yield return Case("algorithm-unknown", () => CorpusCsr("bad-ed448"), "not allowed");
        yield return Case("rsa-even-exponent", () => RsaWithExponent(BigInteger.ValueOf(4)), "exponent is invalid");
    }

    [OneTimeSetUp]
    public void StartServer()
    {
        _dir = new TempDirectory();
        _blocked = TestCsr.Create("CN=blocked");
        string blocklist = _dir.Write("blocked-keys.txt", Convert.ToHexStringLower(SHA256.HashData(_blocked.SubjectPublicKeyInfo)) + "\n");
        _factory = new EstHostFactory(settings: new Dictionary<string, string?> { ["Est:KeyBlocklistPath"] = blocklist }, profiles: [Profile]);
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
        Directory.CreateDirectory(_dir.Combine("config"));
        _environment = new EnvironmentVariableScope()
            .Set("EST_DATA_DIR", _factory.DataDir)
            .Set("EST_CONFIG_DIR", _dir.Combine("config"))
            .Set("Est__KeyBlocklistPath", blocklist)
            .Set("Est__DataDir", null)
            .Set("Est__ProfilesPath", null)
            .Set("Est__Ca__CertificatePath", null);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _environment.Dispose();
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
        _dir.Dispose();
    }

    [TestCaseSource(nameof(RefusedKeys))]
    public async Task DryRun_KeyTheServerRefuses_RefusedWithTheServersReason(Func<byte[]?> csr, string reasonFragment)
    {
        byte[] der = csr() ?? _blocked.Der;

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(Convert.ToBase64String(der)));
        string serverReason = (await response.Content.ReadAsStringAsync()).TrimEnd('\n');
        (int exitCode, string lastLine) = DryRun(der);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), serverReason);
            Assert.That(serverReason, Does.Contain(reasonFragment));
            Assert.That(exitCode, Is.EqualTo(1), lastLine);
            Assert.That(lastLine, Is.EqualTo($"dry run under profile 'parity': REFUSED (BadRequest): {serverReason}"));
        }
    }

    [Test]
    public async Task DryRun_KeyTheServerIssues_IssuedToo()
    {
        byte[] der = TestCsr.Create("CN=fine").Der;

        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path("/.well-known/est/simpleenroll"), EstWire.Body(Convert.ToBase64String(der)));
        (int exitCode, string lastLine) = DryRun(der);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            Assert.That(exitCode, Is.Zero, lastLine);
        }
    }

    private (int ExitCode, string LastLine) DryRun(byte[] csrDer)
    {
        string csrPath = _dir.Write($"dry-run-{Guid.NewGuid():N}.csr", csrDer);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = ProfilesCommand.Run(["check", _factory.ProfilesDir, "--csr", csrPath], output, error);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (exitCode, lines.Length == 0 ? error.ToString() : lines[^1]);
    }

    private static TestCaseData Case(string name, Func<byte[]?> csr, string reasonFragment) =>
        new TestCaseData(csr, reasonFragment).SetArgDisplayNames(name);

    private static byte[] CorpusCsr(string name) => Convert.FromBase64String(File.ReadAllText(Path.Combine(Corpus, name + ".b64")));

    private static byte[] Rsa4096()
    {
        using var key = RSA.Create(4096);
        return TestCsr.Create("CN=large", key, TestKeyType.Rsa2048).Der;
    }

    private static byte[] RsaWithExponent(BigInteger exponent)
    {
        (BigInteger p, BigInteger q, _) = RsaNumbers.PlatformKey();
        return TestCsr.FromRsaNumbers("CN=exponent", p.Multiply(q), exponent, privateExponent: null).Der;
    }
}
