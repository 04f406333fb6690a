using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Lifecycle;

/// <summary>estserver certs list|show and devices block|unblock, run as the built binary on the running server's data directory.</summary>
public sealed partial class CertificateLifecycleTests
{
    [Test]
    public async Task CertsList_DeviceFingerprintFromOpenssl_ListsEnrolledSerialAsGood()
    {
        string serial = await _shell.SerialAsync(Operational);
        // The identity as an operator copies it from openssl: "sha256 Fingerprint=AB:CD:...".
        string fingerprint = (await _shell.BashOkAsync($"openssl x509 -in {DeviceCertificate} -noout -fingerprint -sha256")).StandardOutput.Trim();

        CommandResult list = await _shell.EstServerAsync("certs", "list", "--device", fingerprint);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(list.ExitCode, Is.Zero, list.ToString());
            Assert.That(list.StandardOutput.Split('\n'), Has.Some.StartsWith($"{serial}\tgood\t"), list.ToString());
            Assert.That(list.StandardOutput, Does.Contain(fingerprint[(fingerprint.IndexOf('=') + 1)..].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant()), list.ToString());
        }
    }

    [Test]
    public async Task CertsShow_EnrolledSerial_PrintsSerialStatusAndTheSameCertificate()
    {
        string serial = await _shell.SerialAsync(Operational);

        CommandResult show = await _shell.EstServerAsync("certs", "show", "serial=" + serial);

        Assert.That(show.ExitCode, Is.Zero, show.ToString());
        using X509Certificate2 printed = X509Certificate2.CreateFromPem(show.StandardOutput.AsSpan(show.StandardOutput.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)));
        using X509Certificate2 enrolled = X509CertificateLoader.LoadCertificateFromFile(_shell.PathOf(Operational + ".pem"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(show.StandardOutput, Does.Match($@"(?m)^serial\s+{serial}$"), show.ToString());
            Assert.That(show.StandardOutput, Does.Match(@"(?m)^status\s+good$"), show.ToString());
            Assert.That(printed.RawData, Is.EqualTo(enrolled.RawData));
        }
    }

    [TestCase("show")]
    [TestCase("revoke")]
    public async Task Certs_UnknownSerial_ExitsOneNamingTheSerial(string verb)
    {
        CommandResult unknown = await _shell.EstServerAsync("certs", verb, "0123456789ABCDEF0123456789ABCDEF");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unknown.ExitCode, Is.EqualTo(1), unknown.ToString());
            Assert.That(unknown.StandardError, Does.Contain("no certificate with serial 0123456789ABCDEF0123456789ABCDEF"), unknown.ToString());
        }
    }

    [Test]
    public async Task DevicesBlock_IdevidFile_EnrollRefusedUntilUnblockedAndItsCertificateRevoked()
    {
        using X509Certificate2 manufacturer = _server.LoadManufacturerCa();
        using X509Certificate2 idevid = TestCertificates.CreateClient(manufacturer, "CN=blocked-device, O=Lifecycle E2E", notBefore: TestCertificates.ValidFrom(manufacturer));
        TestCertificates.WritePem(_shell.PathOf("device-idevid.pem"), idevid);
        TestCertificates.WriteKeyPem(_shell.PathOf("device-idevid.key"), idevid);
        await _shell.EnrollOkAsync(_server.BaseAddress, "before-block", "device-idevid.pem", "device-idevid.key");

        CommandResult block = await _shell.EstServerAsync("devices", "block", "--cert", _shell.PathOf("device-idevid.pem"), "--reason", "stolen");
        Assert.That(block.ExitCode, Is.Zero, block.ToString());
        CommandResult refused = await Poll.UntilAsync(
            () => _shell.EnrollAsync(_server.BaseAddress, "while-blocked", "device-idevid.pem", "device-idevid.key"),
            curl => curl.StandardOutput.Trim() != "200",
            LifecycleShell.RevocationDeadline,
            "enrollment refused for the blocked device");
        string refusal = await File.ReadAllTextAsync(_shell.PathOf("while-blocked.p7.b64"));
        CommandResult revokedByBlock = await _shell.WaitForOcspAsync("before-block", "revoked");

        CommandResult unblock = await _shell.EstServerAsync("devices", "unblock", "--cert", _shell.PathOf("device-idevid.pem"));
        Assert.That(unblock.ExitCode, Is.Zero, unblock.ToString());
        CommandResult again = await Poll.UntilAsync(
            () => _shell.EnrollAsync(_server.BaseAddress, "after-unblock", "device-idevid.pem", "device-idevid.key"),
            curl => curl.StandardOutput.Trim() == "200",
            LifecycleShell.RevocationDeadline,
            "enrollment accepted again after unblock");

        CommandResult stillRevoked = await _shell.OcspAsync("before-block");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stillRevoked.StandardOutput, Does.Contain("before-block.pem: revoked"), "unblocking revokes nothing back: " + stillRevoked);
            Assert.That(block.StandardOutput, Does.Contain("blocked " + DeviceIdentityOf(idevid)).And.Contain("revoked 1 certificate(s)"), block.ToString());
            Assert.That(refused.StandardOutput.Trim(), Is.EqualTo("403"), refused.ToString());
            Assert.That(refusal, Does.Contain("device identity is blocked"));
            Assert.That(revokedByBlock.StandardOutput, Does.Contain("Reason: cessationOfOperation"), revokedByBlock.ToString());
            Assert.That(again.ExitCode, Is.Zero, again.ToString());
        }
    }

    [Test]
    public async Task DevicesUnblock_DeviceNeverBlocked_ExitsOne()
    {
        CommandResult unblock = await _shell.EstServerAsync("devices", "unblock", new string('a', 64));

        Assert.That(unblock.ExitCode, Is.EqualTo(1), unblock.ToString());
    }

    private static string DeviceIdentityOf(X509Certificate2 idevid) =>
        Convert.ToHexStringLower(idevid.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
}
