using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EstServer.Host.Cli;
using EstServer.Host.DevPki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Cli;

/// <summary>
/// estserver profiles check: validates a profile directory the way the server would (same CA, same
/// built-in anchors, taken from the same settings), lists every problem as file:line:column, and shows
/// what a CSR would get. Run in-process with EST_DATA_DIR/EST_CONFIG_DIR set for the fixture, so it must
/// not run alongside other tests that read those variables.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ProfilesCommandTests
{
    private const string Usage = "usage: estserver profiles check [DIR] [--csr FILE [--label LABEL | --profile NAME] [--client-cert PEM]]";

    private static readonly string ShippedProfiles = Path.Combine(RepositoryPaths.Root, "config", "profiles");

    private TempDirectory _home = null!;
    private EnvironmentVariableScope _environment = null!;
    private TempDirectory _dir = null!;
    private StringWriter _out = null!;
    private StringWriter _err = null!;

    private string ConfigDir => _home.Combine("config");

    private DevPkiLayout DevPki => DevPkiLayout.InDataDir(_home.Combine("data"));

    [OneTimeSetUp]
    public void SetEnvironment()
    {
        _home = new TempDirectory();
        Directory.CreateDirectory(ConfigDir);
        _environment = new EnvironmentVariableScope()
            .Set("EST_DATA_DIR", _home.Combine("data"))
            .Set("EST_CONFIG_DIR", ConfigDir)
            .Set("Est__DataDir", null)
            .Set("Est__ProfilesPath", null)
            .Set("Est__Ca__CertificatePath", null)
            .Set("Est__Ca__ChainPath", null);
    }

    [OneTimeTearDown]
    public void RestoreEnvironment()
    {
        _environment.Dispose();
        _home.Dispose();
    }

    [SetUp]
    public void CreateWriters()
    {
        _dir = new TempDirectory();
        _out = new StringWriter();
        _err = new StringWriter();
    }

    [TearDown]
    public void DisposeWriters()
    {
        _out.Dispose();
        _err.Dispose();
        _dir.Dispose();
    }

    // ---- validation ---------------------------------------------------------------------------

    [Test]
    public void Run_ShippedProfiles_Exit0ListingTheThreeProfilesAndTheirRoutes()
    {
        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles], _out, _err);
        string[] lines = Lines(_out);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, _out.ToString() + _err);
            Assert.That(lines, Has.Length.EqualTo(4), _out.ToString());
            Assert.That(lines[0], Does.Match(@"^ok  constrained@[0-9a-f]{12}  constrained\.yaml  routes: /constrained$"));
            Assert.That(lines[1], Does.Match(@"^ok  field-device@[0-9a-f]{12}  field-device\.yaml  routes: \(default route\), /field-device$"));
            Assert.That(lines[2], Does.Match(@"^ok  gateway@[0-9a-f]{12}  gateway\.yaml  routes: /gateway$"));
            Assert.That(lines[3], Is.EqualTo($"3 profile(s) valid in {ShippedProfiles}"));
            Assert.That(_err.ToString(), Is.Empty);
        }
    }

    [Test]
    public void Run_NoDirectoryGiven_ChecksTheProfilesOfTheConfigDirectory()
    {
        string profiles = Path.Combine(ConfigDir, "profiles");
        TestProfile.WriteDirectory(profiles, new TestProfile { Name = "from-config-dir", Labels = ["cfg"] });
        try
        {
            int exitCode = ProfilesCommand.Run(["check"], _out, _err);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(exitCode, Is.Zero, _out.ToString());
                Assert.That(_out.ToString(), Does.Contain("ok  from-config-dir@"));
                Assert.That(Lines(_out)[^1], Is.EqualTo($"1 profile(s) valid in {profiles}"));
            }
        }
        finally
        {
            Directory.Delete(profiles, recursive: true);
        }
    }

    [Test]
    public void Run_ProfilesPathInTheEnvironment_ChecksThatDirectoryLikeTheServer()
    {
        string profiles = TestProfile.WriteDirectory(_dir.Combine("elsewhere"), new TestProfile { Name = "from-setting" });
        using var setting = new EnvironmentVariableScope().Set("Est__ProfilesPath", profiles);

        int exitCode = ProfilesCommand.Run(["check"], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, _out.ToString());
            Assert.That(Lines(_out)[^1], Is.EqualTo($"1 profile(s) valid in {profiles}"));
        }
    }

    [Test]
    public void Run_InvalidDirectory_PrintsEveryProblemWithFileLineAndColumnAndExits1()
    {
        string a = _dir.Combine("a.yaml");
        string b = _dir.Combine("b.yaml");
        string c = _dir.Combine("c.yml");
        File.WriteAllText(a, """
            name: a
            labels: [shared]
            policies:
              - oid: not-an-oid
            validity: 365d
            keyUsage: [digitalSignature]
            keys:
              ec: [P-256, P-999]
            subject:
              - type: CN
            enroll:
              trustAnchors: [dev:manufacturer]
            colour: blue

            """);
        TestProfile.WriteDirectory(_dir.Path, new TestProfile { Name = "b", Labels = ["shared"] });
        File.WriteAllText(c, "name: c\npolicies: [\n");

        int exitCode = ProfilesCommand.Run(["check", _dir.Path], _out, _err);
        string[] lines = Lines(_out);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines, Does.Contain($"{a}:4:10: error [policies.oid]: 'not-an-oid' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)"));
            Assert.That(lines, Has.Some.StartsWith($"{a}:8:15: error [keys.ec]: unknown curve 'P-999'"));
            Assert.That(lines, Has.Some.StartsWith($"{a}:13:1: error [unknown-field]: unknown field 'colour' in profile"));
            Assert.That(lines, Does.Contain($"{b}:2:10: error [duplicate-label]: label 'shared' is already served by profile 'a' ({a}:2)"));
            Assert.That(lines, Has.Some.Match($"^{Regex.Escape(c)}:\\d+:\\d+: error \\[yaml\\]: "));
            Assert.That(lines[..^1], Is.All.Match(@"^/.+\.ya?ml:\d+:\d+: error \[[a-z.-]+\]: .+$"), "every problem located");
            Assert.That(lines[^1], Is.EqualTo($"{lines.Length - 1} problem(s) in {_dir.Path}"));
            Assert.That(lines.Length - 1, Is.EqualTo(5), _out.ToString());
        }
    }

    [Test]
    public void Run_DirectoryThatDoesNotExist_Exits1SayingSo()
    {
        string missing = _dir.Combine("missing");

        int exitCode = ProfilesCommand.Run(["check", missing], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(Lines(_out), Is.EqualTo(new[] { $"{missing}: error [directory]: profile directory does not exist", $"1 problem(s) in {missing}" }));
        }
    }

    [Test]
    public void Run_ConfiguredCa_DevelopmentAnchorIsAProblemLikeOnTheServer()
    {
        using ConfiguredFiles files = ConfiguredFiles.Create(_dir);
        using var setting = new EnvironmentVariableScope().Set("Est__Ca__CertificatePath", files.IssuingChainPath);

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles], _out, _err);
        string[] lines = Lines(_out);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines[..^1], Has.Length.EqualTo(3));
            Assert.That(lines[..^1], Is.All.Contain("error [enroll.trustAnchors]: 'dev:manufacturer' names a development PKI anchor, but this server runs on a configured CA"));
        }
    }

    // ---- usage --------------------------------------------------------------------------------

    [TestCase]
    [TestCase("lint")]
    [TestCase("check", "one", "two")]
    [TestCase("check", "--bogus")]
    [TestCase("check", "--label", "gateway")]
    [TestCase("check", "--client-cert", "device.pem")]
    [TestCase("check", "--csr", "device.csr", "--label", "gateway", "--profile", "gateway")]
    public void Run_UsageError_Returns2WithUsageOnStandardError(params string[] args)
    {
        int exitCode = ProfilesCommand.Run(args, _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(Lines(_err)[^1], Is.EqualTo(Usage));
            Assert.That(_out.ToString(), Is.Empty);
        }
    }

    /// <summary>An option whose value is missing is a usage error, not an option silently dropped (a check without the dry run asked for).</summary>
    [TestCase("--csr")]
    [TestCase("--profile")]
    public void Run_OptionWithoutItsValue_Returns2WithUsage(string option)
    {
        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, option], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2), _out.ToString());
            Assert.That(_err.ToString(), Does.Contain(Usage));
        }
    }

    // ---- dry run ------------------------------------------------------------------------------

    [Test]
    public void Run_DryRunOnTheDefaultRoute_PrintsTheFieldsAndACertificateOpensslReads()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] csr = Csr("CN=device-42", key, "d1.devices.example.com");
        string csrPath = _dir.Combine("device.csr");
        File.WriteAllText(csrPath, PemEncoding.WriteString("CERTIFICATE REQUEST", csr));

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath], _out, _err);
        string output = _out.ToString();
        string certificatePath = WriteSampleCertificate(output);
        string text = OpenSsl.RunOk("x509", "-in", certificatePath, "-noout", "-text");
        using X509Certificate2 sample = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        using X509Certificate2 realCa = X509CertificateLoader.LoadCertificateFromFile(DevPki.IssuingCaCertificate);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Match(@"dry run under profile 'field-device@[0-9a-f]{12}' \(client certificate: .*CN=demo-device-0001.*\):"));
            Assert.That(Field(output, "subject"), Is.EqualTo("O=Example Devices,CN=device-42,SERIALNUMBER=DEMO-DEVICE-0001"));
            Assert.That(Field(output, "subjectAltName"), Does.Contain("d1.devices.example.com"));
            Assert.That(Field(output, "policies"), Is.EqualTo(
                "2.999.1.1.1 https://pki.example.com/cps/field-devices \"Issued to field devices under the Example Device PKI certificate policy, version 1.\""));
            Assert.That(text, Does.Contain("Policy: 2.999.1.1.1"));
            Assert.That(text, Does.Contain("CPS: https://pki.example.com/cps/field-devices"));
            Assert.That(text, Does.Contain("Subject: O = Example Devices, CN = device-42, serialNumber = DEMO-DEVICE-0001"));
            Assert.That(text, Does.Contain("DNS:d1.devices.example.com"));
            Assert.That(text, Does.Contain("TLS Web Client Authentication"));
            // The sample's issuer is the real CA's name, byte for byte (a string round trip once reversed it).
            Assert.That(text, Does.Contain("Issuer: O = EstServer development, CN = EstServer Dev Issuing CA"));
            Assert.That(sample.IssuerName.RawData, Is.EqualTo(realCa.SubjectName.RawData));
            Assert.That(sample.NotAfter, Is.LessThanOrEqualTo(realCa.NotAfter), "clamped to the real CA's notAfter");
            Assert.That(sample.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()), "the CSR's key");
        }
    }

    [TestCase("der")]
    [TestCase("base64")]
    public void Run_DryRunWithCsrAsDerOrBase64_ReadsItToo(string form)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] csr = Csr("CN=device-43", key);
        string csrPath = _dir.Combine("device.csr");
        if (form == "der")
        {
            File.WriteAllBytes(csrPath, csr);
        }
        else
        {
            File.WriteAllText(csrPath, Convert.ToBase64String(csr));
        }

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, _out.ToString());
            Assert.That(Field(_out.ToString(), "subject"), Does.Contain("CN=device-43"));
        }
    }

    [Test]
    public void Run_DryRunUnderALabel_UsesThatLabelsProfile()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csrPath = _dir.Combine("gateway.csr");
        File.WriteAllText(csrPath, PemEncoding.WriteString("CERTIFICATE REQUEST", Csr("CN=gw-north-1", key, "gw-north-1.site.gateways.example.com")));

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath, "--label", "gateway"], _out, _err);
        string text = OpenSsl.RunOk("x509", "-in", WriteSampleCertificate(_out.ToString()), "-noout", "-text");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, _out.ToString());
            Assert.That(Field(_out.ToString(), "subject"), Is.EqualTo("O=Example Devices,OU=Gateways,CN=gw-north-1"));
            Assert.That(text, Does.Contain("Policy: 2.999.1.1.2"));
            Assert.That(text, Does.Contain("TLS Web Server Authentication, TLS Web Client Authentication"));
        }
    }

    [Test]
    public void Run_DryRunWithClientCertificate_CopiesFromThatCertificate()
    {
        using X509Certificate2 root = TestCertificates.CreateRootCa("CN=Some Manufacturer");
        using X509Certificate2 client = TestCertificates.CreateClient(root, "CN=other-device, SERIALNUMBER=SN-777");
        string clientPath = _dir.Combine("client.pem");
        File.WriteAllText(clientPath, client.ExportCertificatePem());
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csrPath = _dir.Combine("device.csr");
        File.WriteAllText(csrPath, PemEncoding.WriteString("CERTIFICATE REQUEST", Csr("CN=device-44", key)));

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath, "--profile", "field-device", "--client-cert", clientPath], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, _out.ToString());
            Assert.That(Field(_out.ToString(), "subject"), Is.EqualTo("O=Example Devices,CN=device-44,SERIALNUMBER=SN-777"));
        }
    }

    [Test]
    public void Run_DryRunWithCsrTheProfileRefuses_PrintsRefusedWithTheReasonAndExits1()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csrPath = _dir.Combine("bad.csr");
        File.WriteAllText(csrPath, PemEncoding.WriteString("CERTIFICATE REQUEST", Csr("CN=bad name!", key)));

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath, "--label", "field-device"], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(Lines(_out)[^1], Does.StartWith("dry run under profile 'field-device': REFUSED (BadRequest): subject CN 'bad name!' does not match the profile's pattern"));
            Assert.That(_out.ToString(), Does.Not.Contain("BEGIN CERTIFICATE"));
        }
    }

    [Test]
    public void Run_DryRunWithKeyTheProfileRefuses_PrintsRefusedNamingTheKey()
    {
        TestCsr csr = TestCsr.Create("CN=rsa-device", TestKeyType.Rsa2048);
        string csrPath = _dir.Combine("rsa.csr");
        File.WriteAllText(csrPath, csr.Base64);

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath, "--profile", "constrained"], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(Lines(_out)[^1], Is.EqualTo("dry run under profile 'constrained': REFUSED (BadRequest): CSR key RSA-2048 is not allowed; allowed: EC P-256, Ed25519"));
        }
    }

    [TestCase("--label", "nosuch", "dry run: no profile serves label 'nosuch'")]
    [TestCase("--profile", "nosuch", "dry run: no profile named 'nosuch'")]
    public void Run_DryRunForAnUnknownRoute_Exits1SayingSo(string option, string value, string expected)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csrPath = _dir.Combine("device.csr");
        File.WriteAllBytes(csrPath, Csr("CN=device-45", key));

        int exitCode = ProfilesCommand.Run(["check", ShippedProfiles, "--csr", csrPath, option, value], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(Lines(_out)[^1], Is.EqualTo(expected));
        }
    }

    [Test]
    public void Run_DryRunWithoutDefaultProfile_Exits1SayingNoneServesTheDefaultRoute()
    {
        string profiles = TestProfile.WriteDirectory(_dir.Combine("labels-only"), new TestProfile { Name = "only", Labels = ["only"] });
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csrPath = _dir.Combine("device.csr");
        File.WriteAllBytes(csrPath, Csr("CN=device-46", key));

        int exitCode = ProfilesCommand.Run(["check", profiles, "--csr", csrPath], _out, _err);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(Lines(_out)[^1], Is.EqualTo("dry run: no profile serves the default route"));
        }
    }

    private static byte[] Csr(string subject, ECDsa key, string? dnsName = null) =>
        TestCsr.Create(subject, key, TestKeyType.EcP256, dnsName is null ? null : [dnsName]).Der;

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The value printed for one field of the dry run ("  subject          O=...").</summary>
    private static string Field(string output, string name) =>
        FieldLine().Matches(output).Single(match => match.Groups["name"].Value == name).Groups["value"].Value;

    private string WriteSampleCertificate(string output)
    {
        int begin = output.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        int end = output.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal);
        Assert.That(begin, Is.GreaterThanOrEqualTo(0), output);
        Assert.That(end, Is.GreaterThan(begin), output);
        string path = _dir.Combine("sample.pem");
        File.WriteAllText(path, output[begin..(end + "-----END CERTIFICATE-----".Length)] + "\n");
        return path;
    }

    [GeneratedRegex(@"^  (?<name>[A-Za-z]+) +(?<value>.*?)\r?$", RegexOptions.Multiline)]
    private static partial Regex FieldLine();
}
