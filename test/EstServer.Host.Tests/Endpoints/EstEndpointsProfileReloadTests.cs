using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// Profiles edited while the server runs: a valid edit takes effect for new requests without a restart,
/// an invalid one is rejected as a whole with located errors in the log while the last good set stays in
/// force. Each test waits for the observable outcome (the issued certificate, the log) up to a deadline.
/// </summary>
[TestFixture]
public sealed class EstEndpointsProfileReloadTests
{
    private const string FirstOid = "2.999.7.1";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;

    private static TestProfile Live => new() { Name = "live", Labels = ["live"], Default = true, PolicyOid = FirstOid };

    private string LiveFile => Path.Combine(_factory.ProfilesDir, "live.yaml");

    [SetUp]
    public void StartServer()
    {
        _factory = new EstHostFactory(new Dictionary<string, string?> { ["Est:ProfilesReloadInterval"] = "00:00:00.2" }, profiles: [Live]);
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
    }

    [TearDown]
    public void StopServer()
    {
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_AfterThePolicyOidIsEdited_CarriesTheNewOid()
    {
        Assert.That(await EnrolledPolicyAsync(), Is.EqualTo(FirstOid), "before the edit");

        TestProfile.WriteDirectory(_factory.ProfilesDir, Live with { PolicyOid = "2.999.7.2" });
        string? policy = await PollAsync(EnrolledPolicyAsync, oid => oid == "2.999.7.2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy, Is.EqualTo("2.999.7.2"));
            Assert.That(_factory.Logs.Entries.Count(e => e.EventId.Id == 4001), Is.EqualTo(2), "loaded at start and after the edit");
        }
    }

    [Test]
    public async Task SimpleEnroll_AfterBrokenYamlIsWritten_KeepsTheLastGoodOidAndLogsTheLocatedError()
    {
        await File.WriteAllTextAsync(LiveFile, "name: live\npolicies: [\n");
        CapturedLogs.LogEntry? rejected = await PollAsync(() => Task.FromResult(Rejection()), entry => entry is not null);

        Assert.That(rejected, Is.Not.Null, "the broken edit was never looked at");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejected!.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(rejected.Message, Does.Match($"{Regex.Escape(LiveFile)}:\\d+:\\d+: error \\[yaml\\]: "));
            Assert.That(await EnrolledPolicyAsync(), Is.EqualTo(FirstOid), "the last good set stays in force");
            Assert.That(await EnrolledPolicyAsync("/.well-known/est/live/simpleenroll"), Is.EqualTo(FirstOid));
        }
    }

    [Test]
    public async Task SimpleEnroll_AfterAnInvalidEdit_LogsEveryProblemAtItsLocationAndRecoversOnTheNextGoodEdit()
    {
        TestProfile.WriteDirectory(_factory.ProfilesDir, Live with { Labels = ["cacerts"], PolicyOid = "2.999.7.3" });
        CapturedLogs.LogEntry? rejected = await PollAsync(() => Task.FromResult(Rejection()), entry => entry is not null);
        Assert.That(rejected, Is.Not.Null, "the invalid edit was never looked at");
        Assert.That(rejected!.Message, Does.Contain($"{LiveFile}:2:10: error [labels]: label 'cacerts' is an EST operation name"));
        Assert.That(await EnrolledPolicyAsync(), Is.EqualTo(FirstOid), "nothing of the rejected set applies, not even its valid policy");

        TestProfile.WriteDirectory(_factory.ProfilesDir, Live with { PolicyOid = "2.999.7.4" });
        string? policy = await PollAsync(EnrolledPolicyAsync, oid => oid == "2.999.7.4");

        Assert.That(policy, Is.EqualTo("2.999.7.4"));
    }

    [Test]
    public async Task CsrAttrs_ProfileFileAddedThenRemoved_LabelAppearsThenGoes()
    {
        string added = Path.Combine(_factory.ProfilesDir, "extra.yaml");
        await File.WriteAllTextAsync(added, new TestProfile { Name = "extra", Labels = ["extra"], Keys = "  ed25519: true\n" }.ToYaml());
        HttpStatusCode appeared = await PollAsync(() => StatusAsync("/.well-known/est/extra/csrattrs"), status => status == HttpStatusCode.OK);
        Assert.That(appeared, Is.EqualTo(HttpStatusCode.OK), "the added profile's label");

        File.Delete(added);
        HttpStatusCode gone = await PollAsync(() => StatusAsync("/.well-known/est/extra/csrattrs"), status => status == HttpStatusCode.NotFound);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(gone, Is.EqualTo(HttpStatusCode.NotFound), "the removed profile's label");
            Assert.That(await StatusAsync("/.well-known/est/live/csrattrs"), Is.EqualTo(HttpStatusCode.OK), "the other profile stays");
        }
    }

    /// <summary>Asks <paramref name="probe"/> until <paramref name="done"/> or the deadline; returns the last answer.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        T answer = await probe();
        while (!done(answer) && !deadline.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            answer = await probe();
        }

        return answer;
    }

    private CapturedLogs.LogEntry? Rejection() => _factory.Logs.Entries.FirstOrDefault(e => e.EventId.Id == 4002);

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path(path));
        return response.StatusCode;
    }

    /// <summary>Enrolls a fresh key (a repeated request would be answered from the first job) and returns the policy OID it was issued under.</summary>
    private async Task<string?> EnrolledPolicyAsync() => await EnrolledPolicyAsync("/.well-known/est/simpleenroll");

    private async Task<string?> EnrolledPolicyAsync(string path)
    {
        using HttpResponseMessage response = await _client.PostAsync(EstWire.Path(path), EstWire.Body(TestCsr.Create("CN=reloaded-device").Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);
        return IssuedCertificates.PolicyOids(issued).Single();
    }
}
