using System.Text.RegularExpressions;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Cli;

/// <summary>
/// estserver profiles check [DIR] [--csr FILE --label L], run as a process in a fresh directory (dev PKI
/// in ./data): every problem located as file:line:column, exit 1 on problems, 2 on usage, and a dry run
/// that shows what a CSR would get.
/// </summary>
[TestFixture]
public sealed class ProfilesCheckCommandTests
{
    private TempDirectory _work = null!;
    private TempDirectory _config = null!;

    private static string ShippedProfiles => Path.Combine(ServerProcess.RepositoryConfigDirectory, "profiles");

    [SetUp]
    public void CreateDirectories()
    {
        _work = new TempDirectory("profiles-check");
        _config = new TempDirectory("empty-config");
    }

    [TearDown]
    public void DeleteDirectories()
    {
        _work?.Dispose();
        _config?.Dispose();
    }

    [Test]
    public async Task ProfilesCheck_DirectoryWithSeveralProblems_ExitsOneListingEachWithFileLineColumn()
    {
        string directory = TestProfile.WriteDirectory(
            _work.Combine("profiles"),
            new TestProfile { Name = "one", Labels = ["shared"], Validity = "365 days" },
            new TestProfile { Name = "two", Labels = ["shared"], KeyUsage = "[digitalSignature, keyCertSign]" });
        string one = Path.Combine(directory, "one.yaml");
        string two = Path.Combine(directory, "two.yaml");

        CommandResult check = await RunAsync("profiles", "check", directory);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString());
            // TestProfile: labels on line 2, validity on line 6, keyUsage on line 7.
            Assert.That(check.StandardOutput, Does.Match(Regex.Escape(one) + @":6:\d+: error \[validity\]: '365 days' is not a duration"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(Regex.Escape(two) + @":7:\d+: error \[keyUsage\]: 'keyCertSign' is for CA certificates"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(Regex.Escape(two) + @":2:\d+: error \[duplicate-label\]: label 'shared' is already served by profile 'one'"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"\n\d+ problem\(s\) in " + Regex.Escape(directory) + "\n"), check.ToString());
        }
    }

    [Test]
    public async Task ProfilesCheck_UnparsableValidity_ReportsThatOneProblemOnly()
    {
        string directory = TestProfile.WriteDirectory(_work.Combine("profiles"), new TestProfile { Name = "weeks", Validity = "52 weeks" });

        CommandResult check = await RunAsync("profiles", "check", directory);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString());
            Assert.That(check.StandardOutput, Does.Contain("error [validity]: '52 weeks' is not a duration"), check.ToString());
            Assert.That(check.StandardOutput, Does.Contain($"1 problem(s) in {directory}"), "one mistake, one message: " + check);
        }
    }

    [Test]
    public async Task ProfilesCheck_UnclosedFlowList_ExitsOneWithLocatedYamlError()
    {
        string directory = TestProfile.WriteDirectory(_work.Combine("profiles"), new TestProfile { Name = "unclosed", Labels = ["field"] });
        string file = Path.Combine(directory, "unclosed.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("labels: [field]", "labels: [field", StringComparison.Ordinal));

        CommandResult check = await RunAsync("profiles", "check", directory);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(Regex.Escape(file) + @":\d+:\d+: error \[yaml\]: "), check.ToString());
            Assert.That(check.StandardOutput + check.StandardError, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [Test]
    public async Task ProfilesCheck_DryRunGatewayCsr_PrintsWhatTheCertificateWouldCarry()
    {
        string csr = _work.Combine("gw.csr");
        File.WriteAllBytes(csr, TestCsr.Create("CN=gw-9", dnsNames: ["gw-9.site.gateways.example.com"]).Der);

        CommandResult check = await RunAsync("profiles", "check", ShippedProfiles, "--csr", csr, "--label", "gateway");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.Zero, check.ToString());
            Assert.That(check.StandardOutput, Does.Contain("dry run under profile 'gateway@"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"subject\s+O=Example Devices,OU=Gateways,CN=gw-9\n"), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"policies\s+2\.999\.1\.1\.2 https://pki\.example\.com/cps/gateways "), check.ToString());
            Assert.That(check.StandardOutput, Does.Match(@"extendedKeyUsage\s+1\.3\.6\.1\.5\.5\.7\.3\.1, 1\.3\.6\.1\.5\.5\.7\.3\.2\n"), check.ToString());
            Assert.That(check.StandardOutput, Does.Contain("-----BEGIN CERTIFICATE-----"), check.ToString());
        }
    }

    [Test]
    public async Task ProfilesCheck_DryRunCsrWithoutRequiredSan_ExitsOneNamingRule()
    {
        string csr = _work.Combine("gw-nosan.csr");
        File.WriteAllText(csr, TestCsr.Create("CN=gw-10").Base64);

        CommandResult check = await RunAsync("profiles", "check", ShippedProfiles, "--csr", csr, "--label", "gateway");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.EqualTo(1), check.ToString());
            Assert.That(check.StandardOutput, Does.Contain("dry run under profile 'gateway': REFUSED (BadRequest): at least 1 subjectAltName dns entries are required"), check.ToString());
        }
    }

    [Test]
    public async Task ProfilesCheck_LabelWithoutCsr_ExitsTwoWithUsage()
    {
        CommandResult check = await RunAsync("profiles", "check", ShippedProfiles, "--label", "gateway");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.ExitCode, Is.EqualTo(2), check.ToString());
            Assert.That(check.StandardError, Does.StartWith("usage: estserver profiles check"), check.ToString());
        }
    }

    private Task<CommandResult> RunAsync(params string[] arguments) =>
        CommandRunner.EstServerAsync(_work.Path, _config.Path, arguments);
}
