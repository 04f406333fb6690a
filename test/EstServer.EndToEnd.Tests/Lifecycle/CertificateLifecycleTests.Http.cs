using System.Text.Json;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Lifecycle;

/// <summary>/admin/v1 driven with curl over mutual TLS, and what the plain-HTTP listener refuses or answers.</summary>
public sealed partial class CertificateLifecycleTests
{
    private string AdminUrl(string route) => $"{_server.BaseAddress}admin/v1/{route}";

    [Test]
    public async Task AdminApi_CurlWithoutClientCertificate_Returns401()
    {
        CommandResult curl = await _shell.BashAsync($"curl -sS --cacert {_shell.TrustAnchor} -o admin-anon.txt -w \"%{{http_code}}\" {AdminUrl("certificates")}");

        Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("401"), curl.ToString());
    }

    [Test]
    public async Task AdminApi_CurlWithDeviceCertificate_Returns403()
    {
        CommandResult curl = await _shell.BashAsync(
            $"curl -sS --cacert {_shell.TrustAnchor} --cert {DeviceCertificate} --key {DeviceKey} -o admin-device.txt -w \"%{{http_code}}\" {AdminUrl("certificates")}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("403"), curl.ToString());
            Assert.That(File.ReadAllText(_shell.PathOf("admin-device.txt")), Does.Contain("not from the admin CA"));
        }
    }

    [Test]
    public async Task AdminApi_CurlWithAdminCertificate_Returns200JsonListingTheEnrolledCertificate()
    {
        string serial = await _shell.SerialAsync(Operational);
        string admin = WriteAdminCertificate();

        CommandResult curl = await _shell.BashAsync($"curl -sS --cacert {_shell.TrustAnchor} {admin} -o admin-list.json -w \"%{{http_code}}\" {AdminUrl("certificates?limit=1000")}");

        Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("200"), curl.ToString());
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(_shell.PathOf("admin-list.json")));
        JsonElement listed = json.RootElement.EnumerateArray().SingleOrDefault(c => string.Equals(c.GetProperty("serial").GetString(), serial, StringComparison.OrdinalIgnoreCase));
        Assert.That(listed.ValueKind, Is.EqualTo(JsonValueKind.Object), $"{serial} in {json.RootElement}");
        Assert.That(listed.GetProperty("status").GetString(), Is.EqualTo("good"));
    }

    [Test]
    public async Task AdminApi_CurlPostRevoke_Returns200AndOcspSaysRevoked()
    {
        const string name = "admin-revoked";
        await _shell.EnrollOkAsync(_server.BaseAddress, name, DeviceCertificate, DeviceKey);
        string serial = await _shell.SerialAsync(name);
        string admin = WriteAdminCertificate();

        CommandResult curl = await _shell.BashAsync(
            $"curl -sS --cacert {_shell.TrustAnchor} {admin} -X POST -H \"Content-Type: application/json\" -d '{{\"reason\":\"superseded\"}}'"
            + $" -o admin-revoke.json -w \"%{{http_code}}\" {AdminUrl($"certificates/{serial}/revoke")}");

        Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("200"), $"{curl}\n{File.ReadAllText(_shell.PathOf("admin-revoke.json"))}");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(_shell.PathOf("admin-revoke.json")));
        CommandResult ocsp = await _shell.WaitForOcspAsync(name, "revoked");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("revoked"), json.RootElement.ToString());
            Assert.That(ocsp.StandardOutput, Does.Contain("Reason: superseded"), ocsp.ToString());
        }
    }

    [TestCase("/.well-known/est/cacerts")]
    [TestCase("/admin/v1/certificates")]
    public async Task PlainHttp_EstOrAdminPath_Returns404HttpsOnly(string path)
    {
        CommandResult curl = await _shell.BashAsync($"curl -sS -o plain.txt -w \"%{{http_code}}\" {HttpAddress.GetLeftPart(UriPartial.Authority)}{path}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("404"), curl.ToString());
            Assert.That(File.ReadAllText(_shell.PathOf("plain.txt")), Does.Contain("HTTPS only"));
        }
    }

    [Test]
    public async Task PlainHttp_GarbagePostedToOcsp_Returns200MalformedRequestOcspResponse()
    {
        CommandResult curl = await _shell.BashAsync(
            $"curl -sS -H \"Content-Type: application/ocsp-request\" --data-binary 'not an OCSP request' -o garbage.ocsp -w \"%{{http_code}} %{{content_type}}\" {HttpAddress.GetLeftPart(UriPartial.Authority)}/ocsp");
        CommandResult parsed = await _shell.BashAsync("openssl ocsp -respin garbage.ocsp -resp_text -noverify");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("200 application/ocsp-response"), curl.ToString());
            Assert.That(parsed.StandardOutput + parsed.StandardError, Does.Contain("malformedrequest"), parsed.ToString());
        }
    }

    [Test]
    public async Task PlainHttp_CaIssuersUrlFromCertificate_ServesTheIssuingCa()
    {
        string text = await _shell.X509TextAsync(Operational);
        string url = System.Text.RegularExpressions.Regex.Match(text, @"CA Issuers - URI:(\S+)").Groups[1].Value;

        await _shell.BashOkAsync($"curl -sS --fail-with-body -o ca-issuers.der {url}");

        Assert.That(File.ReadAllBytes(_shell.PathOf("ca-issuers.der")), Is.EqualTo(_server.IssuingCa.RawData), url);
    }

    /// <summary>Writes the admin PKI's operator certificate as PEM files and returns curl's options for it.</summary>
    private string WriteAdminCertificate()
    {
        TestCertificates.WritePem(_shell.PathOf("admin.pem"), _admin.Operator);
        TestCertificates.WriteKeyPem(_shell.PathOf("admin.key"), _admin.Operator);
        return "--cert admin.pem --key admin.key";
    }
}
