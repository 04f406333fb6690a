using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Profiles;

/// <summary>
/// A live edit that forgets a closing bracket ("labels: [field" followed by the next key): like any
/// broken edit it must be rejected with its location while the running server keeps the last good set.
/// Its own server, so that whatever this edit does to the process cannot affect other fixtures.
/// </summary>
[TestFixture]
public sealed class ProfileHotReloadUnclosedListTests
{
    private const string GoodOid = "2.999.62.1";
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(20);

    private TempDirectory _profiles = null!;
    private EstTestServer _server = null!;

    private string ProfileFile => _profiles.Combine("field.yaml");

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _profiles = new TempDirectory("unclosed-profiles");
        File.WriteAllText(ProfileFile, Profile(GoodOid));
        _server = await EstTestServer.StartAsync(new()
        {
            Binary = true,
            Purpose = "unclosed-list",
            Profiles = null,
            Settings = ["--Est:ProfilesPath=" + _profiles.Path, "--Est:ProfilesReloadInterval=00:00:00.200"],
        });
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _profiles?.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_EditLeavesFlowListUnclosed_KeepsIssuingLastGoodOidAndLogsFile()
    {
        using HttpClient device = _server.CreateClient(_server.DemoDevice);
        Assert.That(await EnrollOidAsync(device), Is.EqualTo(GoodOid), "precondition: the good set is in force");
        int from = _server.Process!.LineCount;
        string broken = Profile("2.999.62.2").Replace("labels: [field]", "labels: [field", StringComparison.Ordinal);

        ProfileFiles.ReplaceAtomically(ProfileFile, broken);

        // Fails fast with the server's output if the process ends instead of logging the rejection.
        string logged = await _server.Process!.WaitForLineAsync(
            l => l.Contains(ProfileFile + ":", StringComparison.Ordinal) && l.Contains("error [yaml]", StringComparison.Ordinal), ReloadDeadline, from);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logged, Does.Match(System.Text.RegularExpressions.Regex.Escape(ProfileFile) + @":\d+:\d+: error \[yaml\]: "));
            Assert.That(await EnrollOidAsync(device), Is.EqualTo(GoodOid), "issued under the last good set");
        }
    }

    private static string Profile(string oid) =>
        new TestProfile { Name = "field", Labels = ["field"], Default = true, PolicyOid = oid }.ToYaml();

    private static async Task<string> EnrollOidAsync(HttpClient device)
    {
        using X509Certificate2 issued = await EstRequests.EnrollAsync(device, EstRequests.SimpleEnroll, TestCsr.Create("CN=unclosed-list-device"));
        return string.Join(",", CertificatePolicyReader.Oids(issued));
    }
}
