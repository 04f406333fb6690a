using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// The shipped gateway profile (config/profiles/gateway.yaml) used the way an operator tries it: a CSR
/// made by openssl req, sent with curl under /.well-known/est/gateway/, the answer read by openssl.
/// </summary>
[TestFixture]
public sealed class GatewayOpensslEnrollmentTests
{
    private const string Device = "--cacert data/dev-pki/trust-anchor.pem --cert data/dev-pki/device.pem --key data/dev-pki/device.key";

    private EstTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() =>
        _server = await EstTestServer.StartAsync(new() { Binary = true, Purpose = "gateway", ConfigDirectory = ServerProcess.RepositoryConfigDirectory, Profiles = null });

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task SimpleEnroll_OpensslCsrWithGatewayDnsName_Returns200WithServerAndClientAuth()
    {
        await RunAsync("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj \"/CN=gw-1\""
            + " -addext subjectAltName=DNS:gw-1.site.gateways.example.com -keyout gw-san.key -outform DER -out gw-san.csr"
            + " && openssl base64 -in gw-san.csr -out gw-san.csr.b64");

        CommandResult curl = await CurlEnrollAsync("gw-san");
        Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("200"), curl.ToString());
        await RunAsync("openssl base64 -d -in gw-san.p7.b64 | openssl pkcs7 -inform DER -print_certs -out gw-san.pem");
        CommandResult text = await RunAsync("openssl x509 -in gw-san.pem -noout -text");
        string normalized = OpensslText.Normalize(text.StandardOutput);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(normalized, Does.Contain("X509v3 Extended Key Usage:\nTLS Web Server Authentication, TLS Web Client Authentication\n"), normalized);
            Assert.That(normalized, Does.Contain("X509v3 Subject Alternative Name:\nDNS:gw-1.site.gateways.example.com\n"), normalized);
            Assert.That(normalized, Does.Contain("Subject: O = Example Devices, OU = Gateways, CN = gw-1\n"), normalized);
            Assert.That(normalized, Does.Contain("Policy: 2.999.1.1.2\nCPS: https://pki.example.com/cps/gateways\n"), normalized);
            Assert.That(OpensslText.ValidityTime(normalized, "Not After") - OpensslText.ValidityTime(normalized, "Not Before"), Is.EqualTo(TimeSpan.FromDays(730) + TimeSpan.FromMinutes(5)));
        }

        using X509Certificate2 issued = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_server.WorkingDirectory, "gw-san.pem"));
        using ECDsa key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_server.WorkingDirectory, "gw-san.key")));
        Assert.That(issued.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()), "the key openssl req made");
    }

    [Test]
    public async Task SimpleEnroll_OpensslCsrWithoutSubjectAltName_Returns400NamingSubjectAltNameRule()
    {
        await RunAsync("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj \"/CN=gw-2\""
            + " -keyout gw-nosan.key -outform DER -out gw-nosan.csr && openssl base64 -in gw-nosan.csr -out gw-nosan.csr.b64");

        CommandResult curl = await CurlEnrollAsync("gw-nosan");
        string reason = await File.ReadAllTextAsync(Path.Combine(_server.WorkingDirectory, "gw-nosan.p7.b64"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("400"), curl.ToString());
            Assert.That(reason, Does.Contain("subjectAltName").And.Contain("dns").And.Contain("at least 1"), reason);
            Assert.That(reason.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        }
    }

    /// <summary>curl as the demo device under the gateway label; prints the status, writes the body to NAME.p7.b64.</summary>
    private Task<CommandResult> CurlEnrollAsync(string name) =>
        CommandRunner.BashAsync(
            $"curl -s {Device} -H \"Content-Type: application/pkcs10\" --data-binary @{name}.csr.b64 -o {name}.p7.b64 -w \"%{{http_code}}\""
            + $" {_server.BaseAddress}.well-known/est/gateway/simpleenroll",
            _server.WorkingDirectory);

    private async Task<CommandResult> RunAsync(string command)
    {
        CommandResult result = await CommandRunner.BashAsync(command, _server.WorkingDirectory);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }
}
