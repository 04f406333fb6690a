using System.Net;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// The binary started with no Est:ProfilesPath and no profile directory under EST_CONFIG_DIR: the built-in
/// device profile serves the unlabelled route only, trusts the demo manufacturer, and takes exactly what
/// the enrollment it prints and the identities dev-device mints send: a CN, with the IDevID's serial
/// number copied, and no subjectAltName.
/// </summary>
[TestFixture]
public sealed class BuiltInProfileTests
{
    private const string MintedDevice = "builtin-fleet";

    private readonly List<CommandResult> _printedResults = [];
    private TempDirectory _config = null!;
    private EstTestServer _server = null!;
    private HttpClient _device = null!;
    private PrintedInstructions _instructions = null!;
    private CommandResult _mint = null!;

    [OneTimeSetUp]
    public async Task StartServerRunPrintedCommandsAndMintDevice()
    {
        _config = new TempDirectory("no-profiles-config");
        _server = await EstTestServer.StartAsync(new() { Binary = true, Purpose = "builtin", ConfigDirectory = _config.Path, Profiles = null });
        _device = _server.CreateClient(_server.DemoDevice);
        _instructions = PrintedInstructions.Parse(_server.Process!.OutputLines);
        foreach (string command in _instructions.Commands)
        {
            _printedResults.Add(await CommandRunner.BashAsync(command, _server.WorkingDirectory));
        }

        _mint = await CommandRunner.EstServerAsync(_server.WorkingDirectory, _config.Path, ["dev-device", MintedDevice, "--data-dir", _server.DataDir]);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _device?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _config?.Dispose();
    }

    [Test]
    public void Startup_NoProfileDirectory_WarnsItServesBuiltInProfile()
    {
        Assert.That(_server.Process!.StandardOutput,
            Does.Contain($"No profile directory at {Path.Combine(_config.Path, "profiles")}: serving the built-in default device profile on the development PKI"));
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
    public async Task OpensslX509_PrintedEnrollment_ShowsBuiltInProfileCertificateForDemoDevice()
    {
        CommandResult text = await CommandRunner.BashAsync("openssl x509 -in demo-op.pem -noout -text", _server.WorkingDirectory);

        Assert.That(text.ExitCode, Is.Zero, text.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.StandardOutput, Does.Contain("CA:FALSE"));
            Assert.That(text.StandardOutput, Does.Contain("TLS Web Client Authentication"));
            // BuiltInProfile.yaml: CN from the CSR, serialNumber copied from the IDevID, nothing else.
            Assert.That(text.StandardOutput, Does.Contain("Subject: CN = demo-device-0001, serialNumber = DEMO-DEVICE-0001\n"), text.StandardOutput);
            Assert.That(text.StandardOutput, Does.Contain("Policy: 2.999.1.0.1\n"), text.StandardOutput);
        }
    }

    [Test]
    public async Task SimpleEnroll_DevDeviceIdentity_Returns200WithItsNameAndSerialNumber()
    {
        Assert.That(_mint.ExitCode, Is.Zero, _mint.ToString());
        string stem = Path.Combine(_server.Pki.DevicesDirectory, MintedDevice);
        using X509Certificate2 identity = TestCertificates.LoadPem(stem + ".pem", stem + ".key");
        using X509Certificate2 issuingCa = X509CertificateLoader.LoadCertificateFromFile(_server.Pki.IssuingCaCertificate);
        using HttpClient client = _server.CreateClient(identity);

        using X509Certificate2 issued = await EstRequests.EnrollAsync(client, EstRequests.SimpleEnroll, TestCsr.Create($"CN={MintedDevice}"));

        IssuedCertificateAssert.IsClientAuthEndEntity(issued);
        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(issued, issuingCa, _server.TrustAnchor);
        Assert.That(
            issued.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false).Select(rdn => (rdn.GetSingleElementType().Value, rdn.GetSingleElementValue())),
            Is.EqualTo(new[] { ("2.5.4.3", MintedDevice), ("2.5.4.5", "BUILTIN-FLEET") }));
    }

    [Test]
    public async Task SimpleEnroll_CsrAskingForSubjectAltName_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=builtin-device", dnsNames: ["builtin-device.example.net"]);

        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, EstRequests.SimpleEnroll, csr);

        await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "the CSR requests extension subjectAltName, which profile 'default' does not accept");
    }

    [Test]
    public async Task SimpleEnroll_SubjectBeyondTheCommonName_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=builtin-device, OU=Line 4, O=Anything Goes");

        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, EstRequests.SimpleEnroll, csr);

        await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "is not allowed by profile 'default'");
    }

    [Test]
    public async Task SimpleEnroll_Rsa1024Key_Returns400()
    {
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, EstRequests.SimpleEnroll, TestCsr.Create("CN=builtin-device", TestKeyType.Rsa1024));

        await EstAssert.RefusedAsync(response, HttpStatusCode.BadRequest, "CSR key RSA-1024 is too small");
    }

    [TestCase("field-device")]
    [TestCase("gateway")]
    public async Task SimpleEnroll_AnyLabel_Returns404(string label)
    {
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_device, $"{EstRequests.Root}/{label}/simpleenroll", TestCsr.Create("CN=builtin-labelled"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.NotFound, $"unknown EST label '{label}'");
    }

    [Test]
    public async Task SimpleEnroll_DeviceOfOtherMaker_Returns403()
    {
        using X509Certificate2 maker = TestCertificates.CreateRootCa("CN=Other Maker IDevID CA");
        using X509Certificate2 stranger = TestCertificates.CreateClient(maker, "CN=other-maker-device");
        using HttpClient client = _server.CreateClient(stranger);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleEnroll, TestCsr.Create("CN=other-maker-device"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "dev:manufacturer");
    }
}
