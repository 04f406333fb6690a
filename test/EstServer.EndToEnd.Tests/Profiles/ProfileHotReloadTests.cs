using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// Hot reload on the real binary (Est:ProfilesReloadInterval 200 ms): edits of the profile file change
/// what new enrollments get, a broken edit is rejected with file:line:column in the log while the last
/// good set stays in force, and fixing it takes effect again. Each test first puts its own good OID in
/// force, so the tests do not depend on each other's order.
/// </summary>
[TestFixture]
public sealed class ProfileHotReloadTests
{
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(20);

    private TempDirectory _profiles = null!;
    private EstTestServer _server = null!;
    private HttpClient _device = null!;

    private string ProfileFile => _profiles.Combine("hot.yaml");

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _profiles = new TempDirectory("hot-profiles");
        File.WriteAllText(ProfileFile, Profile("2.999.61.1"));
        _server = await EstTestServer.StartAsync(new()
        {
            Binary = true,
            Purpose = "hot-reload",
            Profiles = null,
            Settings = ["--Est:ProfilesPath=" + _profiles.Path, "--Est:ProfilesReloadInterval=00:00:00.200"],
        });
        _device = _server.CreateClient(_server.DemoDevice);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _device?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _profiles?.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_PolicyOidEditedInProfileFile_NewEnrollmentsCarryNewOid()
    {
        await PutInForceAsync("2.999.61.10");
        int from = _server.Process!.LineCount;

        ProfileFiles.ReplaceAtomically(ProfileFile, Profile("2.999.61.11"));

        string oid = await Poll.UntilAsync(EnrollOidAsync, o => o == "2.999.61.11", ReloadDeadline, "an enrollment under the edited OID");
        Assert.That(oid, Is.EqualTo("2.999.61.11"));
        await _server.Process!.WaitForLineAsync(line => line.Contains("Loaded 1 certificate profiles from " + _profiles.Path, StringComparison.Ordinal), ReloadDeadline, from);
    }

    [Test]
    public async Task SimpleEnroll_BrokenYamlWritten_KeepsLastGoodOidAndLogsFileLineColumn()
    {
        await PutInForceAsync("2.999.61.20");
        int from = _server.Process!.LineCount;
        string broken = Misindented(Profile("2.999.61.21"));
        int line = ProfileFiles.LineStartingWith(broken, "   cps:");

        ProfileFiles.ReplaceAtomically(ProfileFile, broken);

        string logged = await _server.Process!.WaitForLineAsync(
            l => l.Contains($"{ProfileFile}:{line}:", StringComparison.Ordinal), ReloadDeadline, from);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Does.Match($@"{System.Text.RegularExpressions.Regex.Escape(ProfileFile)}:{line}:\d+: error \[yaml\]: "));
            Assert.That(_server.Process!.OutputLines.Skip(from), Has.Some.Contains("Rejected the edited profile set in " + _profiles.Path).And.Some.Contains("the last good set stays in force"));
            Assert.That(await EnrollOidAsync(), Is.EqualTo("2.999.61.20"), "issued under the last good set");
        }
    }

    [Test]
    public async Task SimpleEnroll_BrokenYamlThenFixed_CarriesNewestOidNeverTheBrokenOne()
    {
        await PutInForceAsync("2.999.61.30");
        int from = _server.Process!.LineCount;
        ProfileFiles.ReplaceAtomically(ProfileFile, Misindented(Profile("2.999.61.31")));
        await _server.Process!.WaitForLineAsync(l => l.Contains(ProfileFile + ":", StringComparison.Ordinal) && l.Contains("error [yaml]", StringComparison.Ordinal), ReloadDeadline, from);
        var seen = new List<string>();

        ProfileFiles.ReplaceAtomically(ProfileFile, Profile("2.999.61.32"));

        await Poll.UntilAsync(
            async () =>
            {
                string oid = await EnrollOidAsync();
                seen.Add(oid);
                return oid;
            },
            o => o == "2.999.61.32",
            ReloadDeadline,
            "an enrollment under the fixed file's OID");
        Assert.That(seen, Has.None.EqualTo("2.999.61.31"), "the rejected edit's OID is never issued");
        Assert.That(seen.Distinct(), Is.SubsetOf(new[] { "2.999.61.30", "2.999.61.32" }));
    }

    /// <summary>The server's profile, default route, with a CPS line that an edit can mis-indent.</summary>
    private static string Profile(string oid) =>
        new TestProfile { Name = "hot", Default = true, PolicyOid = oid, Cps = "https://pki.example.com/cps/hot" }.ToYaml();

    /// <summary>A typical slip: the qualifier under the policy indented by three spaces instead of four.</summary>
    private static string Misindented(string yaml)
    {
        Assert.That(yaml, Does.Contain("\n    cps: "));
        return yaml.Replace("\n    cps: ", "\n   cps: ", StringComparison.Ordinal);
    }

    private async Task PutInForceAsync(string oid)
    {
        ProfileFiles.ReplaceAtomically(ProfileFile, Profile(oid));
        await Poll.UntilAsync(EnrollOidAsync, o => o == oid, ReloadDeadline, $"an enrollment under {oid}");
    }

    private async Task<string> EnrollOidAsync()
    {
        using X509Certificate2 issued = await EstRequests.EnrollAsync(_device, EstRequests.SimpleEnroll, TestCsr.Create("CN=hot-reload-device"));
        return string.Join(",", CertificatePolicyReader.Oids(issued));
    }
}
