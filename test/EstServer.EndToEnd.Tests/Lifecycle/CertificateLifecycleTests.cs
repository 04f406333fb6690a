using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Lifecycle;

/// <summary>
/// A certificate's life after issuance, seen with independent tools against the built binary: curl and
/// openssl enroll as the README does, read the CRL and OCSP pointers out of the certificate, fetch the
/// CRL and ask the OCSP responder over the plain-HTTP listener, and the operator revokes and blocks with
/// the estserver CLI on the server's data directory or with curl on /admin/v1. One server for the
/// fixture; the tests that need a CRL without entries run first ([Order]), every other test enrolls the
/// certificates it revokes.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class CertificateLifecycleTests
{
    private TempDirectory _work = null!;
    private TestAdminPki _admin = null!;
    private EstTestServer _server = null!;
    private LifecycleShell _shell = null!;

    /// <summary>The operational certificate enrolled at set-up (op.pem, op.key) with the demo device's IDevID; never revoked.</summary>
    private const string Operational = "op";

    private Uri HttpAddress => _server.HttpAddress ?? throw new InvalidOperationException("the server printed no plain-HTTP address");

    private string DeviceCertificate => _server.Pki.DeviceCertificate;

    private string DeviceKey => _server.Pki.DeviceKey;

    [OneTimeSetUp]
    public async Task StartServerAndEnroll()
    {
        _work = new TempDirectory("lifecycle");
        _admin = new TestAdminPki();
        string workingDirectory = _work.Combine("work");
        _server = await LifecycleShell.StartServerAsync(workingDirectory, FreePort.HttpUrl(), "--Est:Admin:CaPath=" + _admin.CaPath);
        _shell = LifecycleShell.For(_server, LifecycleShell.ConfigDirectoryOf(workingDirectory));
        await _shell.EnrollOkAsync(_server.BaseAddress, Operational, DeviceCertificate, DeviceKey);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _admin?.Dispose();
        _work?.Dispose();
    }

    [Test]
    [Order(1)]
    public async Task X509Text_CurlEnrolledCertificate_NamesCrlOcspAndCaIssuersAtHttpAddress()
    {
        string text = await _shell.X509TextAsync(Operational);
        string keyId = _server.IssuingCa.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!.ToLowerInvariant();
        string http = HttpAddress.GetLeftPart(UriPartial.Authority);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(HttpAddress.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(text, Does.Contain($"X509v3 CRL Distribution Points:\nFull Name:\nURI:{http}/crl/{keyId}.crl\n"), text);
            Assert.That(text, Does.Contain($"Authority Information Access:\nOCSP - URI:{http}/ocsp\nCA Issuers - URI:{http}/ca/{keyId}.crt\n"), text);
        }
    }

    [Test]
    [Order(1)]
    public async Task Crl_FetchedFromCertificateCdp_HasCrlNumberAndNoRevokedEntries()
    {
        Uri url = await _shell.CrlUrlAsync(Operational);

        string crl = await _shell.FetchCrlAsync(url, "fresh-crl");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(url.Authority, Is.EqualTo(HttpAddress.Authority), "the CDP names the plain-HTTP listener");
            Assert.That(LifecycleShell.CrlNumber(crl), Is.GreaterThanOrEqualTo(1), crl);
            Assert.That(crl, Does.Contain("No Revoked Certificates."), crl);
            Assert.That(crl, Does.Contain("Issuer: O = EstServer development, CN = EstServer Dev Issuing CA\n"), crl);
        }
    }

    [Test]
    [Order(1)]
    public async Task OpensslOcsp_UrlFromCertificateAia_SaysGoodAndVerifiesResponse()
    {
        CommandResult ocsp = await _shell.OcspAsync(Operational);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ocsp.ExitCode, Is.Zero, ocsp.ToString());
            Assert.That(ocsp.StandardOutput, Does.Contain($"{Operational}.pem: good"), ocsp.ToString());
            Assert.That(ocsp.StandardError + ocsp.StandardOutput, Does.Contain("Response verify OK"), ocsp.ToString());
        }
    }

    [Test]
    public async Task CertsRevoke_CliKeyCompromise_OcspCrlVerifyAndReenrollAllSeeItRevoked()
    {
        const string name = "cli-revoked";
        await _shell.EnrollOkAsync(_server.BaseAddress, name, DeviceCertificate, DeviceKey);
        string serial = await _shell.SerialAsync(name);
        Uri crlUrl = await _shell.CrlUrlAsync(name);
        string before = await _shell.FetchCrlAsync(crlUrl, "before-revoke");
        long numberBefore = LifecycleShell.CrlNumber(before);
        Assert.That(LifecycleShell.RevokedEntry(before, serial), Is.Null, "not listed before it is revoked");

        CommandResult revoke = await _shell.EstServerAsync("certs", "revoke", serial, "--reason", "keyCompromise");
        Assert.That(revoke.ExitCode, Is.Zero, revoke.ToString());

        CommandResult ocsp = await _shell.WaitForOcspAsync(name, "revoked");
        string crl = await _shell.WaitForCrlAsync(crlUrl, "after-revoke", text => LifecycleShell.RevokedEntry(text, serial) is not null, $"the CRL listing {serial}");
        CommandResult verify = await _shell.BashAsync(
            $"openssl verify -crl_check -CAfile {_shell.TrustAnchor} -untrusted {_shell.IssuingCa} -CRLfile after-revoke.pem {name}.pem");
        CommandResult reenroll = await _shell.BashAsync(
            $"curl -sS --cacert {_shell.TrustAnchor} --cert {name}.pem --key {name}.key -H \"Content-Type: application/pkcs10\""
            + $" --data-binary @{name}.csr.b64 -o reenroll-body.txt -w \"%{{http_code}}\" {_server.BaseAddress}.well-known/est/simplereenroll");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoke.StandardOutput, Does.Contain($"{serial} revoked at ").And.Contain("(keyCompromise)"), revoke.ToString());
            Assert.That(ocsp.StandardOutput, Does.Contain("Reason: keyCompromise"), ocsp.ToString());
            Assert.That(LifecycleShell.RevokedEntry(crl, serial), Does.Contain("X509v3 CRL Reason Code:\nKey Compromise\n"), crl);
            Assert.That(LifecycleShell.CrlNumber(crl), Is.GreaterThan(numberBefore), crl);
            Assert.That(verify.ExitCode, Is.Not.Zero, verify.ToString());
            Assert.That(verify.StandardOutput + verify.StandardError, Does.Contain("certificate revoked"), verify.ToString());
            Assert.That(reenroll.StandardOutput.Trim(), Is.EqualTo("403"), reenroll.ToString());
            Assert.That(File.ReadAllText(_shell.PathOf("reenroll-body.txt")), Does.Contain("certificate revoked"));
        }
    }

    [Test]
    public async Task SimpleReenroll_CurlWithGoodCertificate_RenewalNamesSameCdpIsGoodAndRecordsWhatItRenews()
    {
        string serial = await _shell.SerialAsync(Operational);
        await _shell.BashOkAsync(
            $"curl -sS --fail-with-body --cacert {_shell.TrustAnchor} --cert {Operational}.pem --key {Operational}.key -H \"Content-Type: application/pkcs10\""
            + $" --data-binary @{Operational}.csr.b64 -o renewed.p7.b64 {_server.BaseAddress}.well-known/est/simplereenroll"
            + " && openssl base64 -d -in renewed.p7.b64 | openssl pkcs7 -inform DER -print_certs -out renewed.pem");
        string renewedSerial = await _shell.SerialAsync("renewed");

        CommandResult ocsp = await _shell.OcspAsync("renewed");
        CommandResult show = await _shell.EstServerAsync("certs", "show", renewedSerial);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _shell.CrlUrlAsync("renewed"), Is.EqualTo(await _shell.CrlUrlAsync(Operational)));
            Assert.That(ocsp.StandardOutput, Does.Contain("renewed.pem: good"), ocsp.ToString());
            Assert.That(show.StandardOutput, Does.Match($@"(?m)^renewsSerial\s+{serial}$"), show.ToString());
        }
    }

    [Test]
    public async Task OpensslVerify_CrlCheckOnGoodCertificate_IsOk()
    {
        Uri crlUrl = await _shell.CrlUrlAsync(Operational);
        await _shell.FetchCrlAsync(crlUrl, "good-check");

        CommandResult verify = await _shell.BashAsync(
            $"openssl verify -crl_check -CAfile {_shell.TrustAnchor} -untrusted {_shell.IssuingCa} -CRLfile good-check.pem {Operational}.pem");

        Assert.That(verify.StandardOutput, Does.Contain($"{Operational}.pem: OK"), verify.ToString());
    }
}
