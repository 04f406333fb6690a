using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Interop;

/// <summary>
/// The built binary started as a user starts it, in an empty directory with the repository's config/
/// (EST_CONFIG_DIR, so the shipped profiles exactly as ./scripts/run.sh serves them), and enrolled
/// against with independent tools: the commands it prints are run verbatim with bash, then curl and
/// openssl are pointed at it directly, and estserver profiles check validates the shipped profiles.
/// </summary>
[TestFixture]
public sealed class OpensslCurlInteropTests
{
    private TempDirectory _work = null!;
    private EstTestServer _server = null!;
    private PrintedInstructions _instructions = null!;
    private readonly List<CommandResult> _printedResults = [];

    private const string TrustAnchor = "data/dev-pki/trust-anchor.pem";

    [OneTimeSetUp]
    public async Task StartServerAndRunPrintedCommands()
    {
        _work = new TempDirectory("interop");
        _server = await EstTestServer.StartAsync(new()
        {
            Binary = true,
            WorkingDirectory = _work.Path,
            ConfigDirectory = ServerProcess.RepositoryConfigDirectory,
            Profiles = null,
        });
        _instructions = PrintedInstructions.Parse(_server.Process!.OutputLines);
        foreach (string command in _instructions.Commands)
        {
            _printedResults.Add(await CommandRunner.BashAsync(command, _work.Path));
        }
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _work?.Dispose();
    }

    [Test]
    public void Startup_FreshDirectory_PrintsInstructionsWithBoundLoopbackPort()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_instructions.EstRoot.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(_instructions.EstRoot.Port, Is.GreaterThan(0), "the port actually bound, not the requested 0");
            Assert.That(_instructions.EstRoot.AbsolutePath, Is.EqualTo("/.well-known/est"));
            Assert.That(_instructions.Commands, Has.Some.Contains(_instructions.EstRoot + "/simpleenroll"));
            Assert.That(_instructions.Commands, Has.Some.StartsWith("openssl verify"));
            Assert.That(_instructions.Commands, Has.Some.Contains("/simplereenroll"));
            Assert.That(File.Exists(Path.Combine(_work.Path, TrustAnchor)), Is.True, "./data is the data directory without EST_DATA_DIR");
        }
    }

    [Test]
    public void PrintedCommands_RunInBash_EveryCommandExitsZero()
    {
        Assert.That(_printedResults, Has.Count.EqualTo(_instructions.Commands.Count).And.Count.GreaterThanOrEqualTo(8));
        using (Assert.EnterMultipleScope())
        {
            foreach (CommandResult result in _printedResults)
            {
                Assert.That(result.ExitCode, Is.Zero, result.ToString());
            }
        }
    }

    [Test]
    public void OpensslVerify_PrintedEnrollment_PrintsDemoOpOk()
    {
        CommandResult verify = _printedResults.Single(r => r.Command.StartsWith("openssl verify", StringComparison.Ordinal));

        Assert.That(verify.StandardOutput, Does.Contain("demo-op.pem: OK"), verify.ToString());
    }

    [Test]
    public async Task OpensslX509_PrintedEnrollment_ShowsFieldDeviceProfileCertificateForDemoDevice()
    {
        CommandResult text = await CommandRunner.BashAsync("openssl x509 -in demo-op.pem -noout -text", _work.Path);

        Assert.That(text.ExitCode, Is.Zero, text.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.StandardOutput, Does.Contain("CA:FALSE"));
            Assert.That(text.StandardOutput, Does.Contain("TLS Web Client Authentication"));
            // config/profiles/field-device.yaml: O fixed, CN from the CSR, serialNumber copied from the IDevID.
            Assert.That(text.StandardOutput, Does.Contain("Subject: O = Example Devices, CN = demo-device-0001, serialNumber = DEMO-DEVICE-0001\n"), text.StandardOutput);
            Assert.That(text.StandardOutput, Does.Contain("Policy: 2.999.1.1.1\n"), text.StandardOutput);
            Assert.That(text.StandardOutput, Does.Match(@"Issuer: .*CN = EstServer Dev Issuing CA"));
        }
    }

    [Test]
    public async Task ProfilesCheck_ShippedConfigDirectory_ExitsZeroListingEveryShippedProfile()
    {
        // No DIR: the directory the server uses, $EST_CONFIG_DIR/profiles; run where the server keeps ./data.
        CommandResult check = await CommandRunner.EstServerAsync(_work.Path, ServerProcess.RepositoryConfigDirectory, ["profiles", "check"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.Zero, check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"ok  field-device@[0-9a-f]{12}  field-device\.yaml  routes: \(default route\), /field-device\n"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"ok  gateway@[0-9a-f]{12}  gateway\.yaml  routes: /gateway\n"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"ok  constrained@[0-9a-f]{12}  constrained\.yaml  routes: /constrained\n"), check.ToString());
            Assert.That(check.StandardOutput, Does.Contain("3 profile(s) valid in "), check.ToString());
        }
    }

    [Test]
    public async Task ProfilesCheck_ShippedDirectoryGivenExplicitly_ExitsZero()
    {
        string shipped = Path.Combine(ServerProcess.RepositoryConfigDirectory, "profiles");
        CommandResult check = await CommandRunner.EstServerAsync(_work.Path, ServerProcess.RepositoryConfigDirectory, ["profiles", "check", shipped]);

        Assert.That(check.ExitCode, Is.Zero, check.ToString());
        Assert.That(check.StandardOutput, Does.Contain($"3 profile(s) valid in {shipped}"), check.ToString());
    }

    [Test]
    public void PrintedSimpleReenroll_WithIssuedCertificate_ReturnsRenewalWithSameKeyAndNewSerial()
    {
        using X509Certificate2 operational = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_work.Path, "demo-op.pem"));
        string renewedBody = File.ReadAllText(Path.Combine(_work.Path, "demo-op-renewed.p7.b64"));

        using X509Certificate2 renewed = CertsOnlyReader.ReadBase64(renewedBody).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(renewed.SubjectName.Name, Is.EqualTo(operational.SubjectName.Name));
            Assert.That(renewed.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(operational.PublicKey.ExportSubjectPublicKeyInfo()));
            Assert.That(renewed.SerialNumber, Is.Not.EqualTo(operational.SerialNumber));
        }
    }

    [Test]
    public async Task SimpleEnroll_CurlTlsMax12_Returns200OverTls12()
    {
        CommandResult csr = await CommandRunner.BashAsync(
            "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj \"/CN=curl-tls12\" -keyout curl12.key -outform DER -out curl12.csr"
            + " && openssl base64 -in curl12.csr -out curl12.csr.b64",
            _work.Path);
        Assert.That(csr.ExitCode, Is.Zero, csr.ToString());

        CommandResult curl = await CommandRunner.BashAsync(
            $"curl -v --fail-with-body --tlsv1.2 --tls-max 1.2 --cacert {TrustAnchor} --cert data/dev-pki/device.pem --key data/dev-pki/device.key"
            + $" -H \"Content-Type: application/pkcs10\" --data-binary @curl12.csr.b64 -o curl12.p7.b64 -w \"%{{http_code}}\" {_instructions.EstRoot}/simpleenroll",
            _work.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(curl.ExitCode, Is.Zero, curl.ToString());
            Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("200"), curl.ToString());
            Assert.That(curl.StandardError, Does.Contain("SSL connection using TLSv1.2"), curl.ToString());
        }

        using X509Certificate2 issued = CertsOnlyReader.ReadBase64(File.ReadAllText(Path.Combine(_work.Path, "curl12.p7.b64"))).Single();
        using ECDsa key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(_work.Path, "curl12.key")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issued.GetNameInfo(X509NameType.SimpleName, forIssuer: false), Is.EqualTo("curl-tls12"));
            Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        }
    }

    [Test]
    public async Task Handshake_OpensslSClientTls12_NegotiatesTls12AndVerifiesServer()
    {
        CommandResult handshake = await CommandRunner.BashAsync(
            $"openssl s_client -connect 127.0.0.1:{_instructions.EstRoot.Port} -tls1_2 -CAfile {TrustAnchor} -verify_ip 127.0.0.1 -verify_return_error < /dev/null",
            _work.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handshake.ExitCode, Is.Zero, handshake.ToString());
            Assert.That(Regex.IsMatch(handshake.StandardOutput, @"Protocol\s*:\s*TLSv1\.2\b"), Is.True, handshake.ToString());
            Assert.That(handshake.StandardOutput, Does.Contain("Verify return code: 0 (ok)"), handshake.ToString());
        }
    }

    [Test]
    public async Task Handshake_OpensslSClientTls11_IsRefusedByServer()
    {
        // SECLEVEL=0 lets this openssl offer TLS 1.1 at all, so a failure is the server's refusal.
        CommandResult handshake = await CommandRunner.BashAsync(
            $"openssl s_client -connect 127.0.0.1:{_instructions.EstRoot.Port} -tls1_1 -cipher DEFAULT@SECLEVEL=0 -CAfile {TrustAnchor} < /dev/null",
            _work.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handshake.ExitCode, Is.Not.Zero, handshake.ToString());
            Assert.That(handshake.StandardError + handshake.StandardOutput, Does.Contain("alert protocol version").Or.Contain("unsupported protocol").Or.Contain("wrong version number"), handshake.ToString());
        }
    }

    [TestCase("tls1_2", "TLSv1.2")]
    [TestCase("tls1_3", "TLSv1.3")]
    public async Task SimpleEnroll_ResumedTlsSessionWithoutCertificate_StaysAuthenticatedAsDevice(string option, string version)
    {
        // The first connection presents the device certificate and saves the session; the second one
        // resumes it presenting nothing. The peer certificate belongs to the session, so it still counts.
        string request = $"resume-{option}.http";
        byte[] body = System.Text.Encoding.ASCII.GetBytes(EstServer.TestSupport.TestCsr.Create($"CN=resume-{option}").Base64);
        string head = $"POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: {_instructions.EstRoot.Authority}\r\n"
            + $"Content-Type: application/pkcs10\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await File.WriteAllBytesAsync(Path.Combine(_work.Path, request), [.. System.Text.Encoding.ASCII.GetBytes(head), .. body]);
        string connect = $"openssl s_client -ign_eof -connect 127.0.0.1:{_instructions.EstRoot.Port} -{option} -CAfile {TrustAnchor}";

        CommandResult first = await CommandRunner.BashAsync(
            $"{connect} -cert data/dev-pki/device.pem -key data/dev-pki/device.key -sess_out resume-{option}.session < {request}", _work.Path);
        CommandResult resumed = await CommandRunner.BashAsync($"{connect} -sess_in resume-{option}.session < {request}", _work.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.StandardOutput, Does.Contain($"New, {version}").And.Contain("HTTP/1.1 200 OK"), first.ToString());
            Assert.That(resumed.StandardOutput, Does.Contain($"Reused, {version}"), resumed.ToString());
            Assert.That(resumed.StandardOutput, Does.Contain("HTTP/1.1 200 OK"), resumed.ToString());
        }
    }
}
