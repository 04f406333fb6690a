using System.Net;
using System.Text;
using System.Text.Json;
using EstServer.Core.Lifecycle;
using EstServer.Host.Tests.Support;
using EstServer.Store;
using EstServer.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EstServer.Host.Tests.Admin;

/// <summary>
/// /admin/v1 against the host's real store: search with filters, show, revoke (idempotent), block and
/// unblock, the audit trail, bad values as one-line 400s, and a store outage as 503 + Retry-After.
/// Each test seeds records under a profile name of its own, so tests do not see each other's.
/// </summary>
[TestFixture]
public sealed class AdminEndpointsTests
{
    private TestAdminPki _admin = null!;
    private EstHostFactory _factory = null!;
    private HttpClient _client = null!;

    private SqlCertificateStore Store => _factory.Services.GetRequiredService<SqlCertificateStore>();

    private SwitchableStore Switch => _factory.Services.GetRequiredService<SwitchableStore>();

    [OneTimeSetUp]
    public void StartServer()
    {
        _admin = new TestAdminPki();
        _factory = new EstHostFactory(
            new Dictionary<string, string?> { ["Est:Admin:CaPath"] = _admin.CaPath },
            services =>
            {
                services.AddSingleton(provider => new SwitchableStore(provider.GetRequiredService<SqlCertificateStore>()));
                services.AddSingleton<ICertificateAdmin>(provider => provider.GetRequiredService<SwitchableStore>());
            }).Started();
        _client = _factory.CreateClientPresenting(_admin.Operator);
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _factory.Dispose();
        _admin.Dispose();
    }

    [TearDown]
    public void Reconnect() => Switch.Reachable = true;

    [Test]
    public async Task Search_ByProfileAndStatus_ReturnsOnlyMatchingRecords()
    {
        string profile = NewProfile();
        CertificateRecord good = Seed(profile);
        CertificateRecord revoked = Seed(profile);
        Store.Revoke(revoked.Serial, RevocationReason.KeyCompromise, DateTimeOffset.UtcNow, "test");

        JsonElement all = await GetJsonAsync($"/admin/v1/certificates?profile={profile}");
        JsonElement onlyRevoked = await GetJsonAsync($"/admin/v1/certificates?profile={profile}&status=revoked");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Serials(all), Is.EquivalentTo(new[] { SerialNumber.ToOpenSsl(good.Serial), SerialNumber.ToOpenSsl(revoked.Serial) }));
            Assert.That(Serials(onlyRevoked), Is.EqualTo(new[] { SerialNumber.ToOpenSsl(revoked.Serial) }));
            Assert.That(onlyRevoked[0].GetProperty("revocationReason").GetString(), Is.EqualTo("keyCompromise"));
            Assert.That(onlyRevoked[0].GetProperty("status").GetString(), Is.EqualTo("revoked"));
        }
    }

    [Test]
    public async Task Search_ByDeviceSubjectAndExpiry_Filters()
    {
        string profile = NewProfile();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        CertificateRecord soon = Seed(profile, subject: "CN=gateway-7,O=Example", validity: TimeSpan.FromDays(10));
        CertificateRecord later = Seed(profile, subject: "CN=sensor-3,O=Example", validity: TimeSpan.FromDays(200));

        JsonElement byDevice = await GetJsonAsync($"/admin/v1/certificates?device={later.DeviceIdentity}");
        JsonElement bySubject = await GetJsonAsync($"/admin/v1/certificates?profile={profile}&subject=GATEWAY");
        JsonElement expiring = await GetJsonAsync($"/admin/v1/certificates?profile={profile}&expiringWithin=30d");
        JsonElement expiringIso = await GetJsonAsync($"/admin/v1/certificates?profile={profile}&expiringWithin=P300D&limit=1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Serials(byDevice), Is.EqualTo(new[] { SerialNumber.ToOpenSsl(later.Serial) }));
            Assert.That(Serials(bySubject), Is.EqualTo(new[] { SerialNumber.ToOpenSsl(soon.Serial) }));
            Assert.That(Serials(expiring), Is.EqualTo(new[] { SerialNumber.ToOpenSsl(soon.Serial) }));
            Assert.That(expiringIso.GetArrayLength(), Is.EqualTo(1));
            Assert.That(byDevice[0].GetProperty("deviceIdentity").GetString(), Is.EqualTo(later.DeviceIdentity));
            Assert.That(byDevice[0].TryGetProperty("pem", out _), Is.False);
        }
    }

    [TestCase("status=maybe", "status must be good or revoked, not 'maybe'")]
    [TestCase("expiringWithin=soon", "expiring-within 'soon' is not a positive duration; use e.g. 30d, 12h, 15m, 2w or P30D")]
    [TestCase("limit=0", "limit must be a whole number from 1 to 10000, not '0'")]
    [TestCase("staus=good", "unknown query parameter 'staus'; use device, subject, profile, status, expiringWithin, limit")]
    public async Task Search_BadQueryValue_Returns400WithReason(string query, string reason)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path($"/admin/v1/certificates?{query}"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [TestCase("openssl")]
    [TestCase("colons")]
    [TestCase("lower")]
    public async Task Show_SerialInAnyForm_ReturnsRecordWithPem(string form)
    {
        CertificateRecord record = Seed(NewProfile());
        string openssl = SerialNumber.ToOpenSsl(record.Serial);
        string serial = form switch
        {
            "openssl" => "serial=" + openssl,
            "colons" => string.Join(':', Enumerable.Range(0, openssl.Length / 2).Select(i => openssl.Substring(i * 2, 2))),
            _ => record.Serial,
        };

        JsonElement shown = await GetJsonAsync($"/admin/v1/certificates/{Uri.EscapeDataString(serial)}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(shown.GetProperty("serial").GetString(), Is.EqualTo(openssl));
            Assert.That(shown.GetProperty("pem").GetString(), Does.StartWith("-----BEGIN CERTIFICATE-----"));
            Assert.That(shown.GetProperty("requestId").GetString(), Is.EqualTo(record.RequestId));
            Assert.That(shown.GetProperty("status").GetString(), Is.EqualTo("good"));
        }
    }

    [Test]
    public async Task Show_UnknownSerial_Returns404()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/admin/v1/certificates/DEADBEEF0001"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.NotFound, "no certificate with serial DEADBEEF0001");
    }

    [Test]
    public async Task Show_NotASerial_Returns400()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/admin/v1/certificates/xyz"));

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.BadRequest, "'xyz' is not a certificate serial number (hex, as openssl prints it)");
    }

    [Test]
    public async Task Revoke_TwiceWithReason_RevokesOnceAndSaysSoTheSecondTime()
    {
        CertificateRecord record = Seed(NewProfile());
        string path = $"/admin/v1/certificates/{SerialNumber.ToOpenSsl(record.Serial)}/revoke";

        JsonElement first = await PostJsonAsync(path, """{"reason":"keyCompromise"}""");
        JsonElement second = await PostJsonAsync(path, """{"reason":"superseded"}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.GetProperty("wasAlreadyRevoked").GetBoolean(), Is.False);
            Assert.That(second.GetProperty("wasAlreadyRevoked").GetBoolean(), Is.True);
            Assert.That(second.GetProperty("revocationReason").GetString(), Is.EqualTo("keyCompromise"));
            Assert.That(Store.Get(record.Serial)!.Status, Is.EqualTo(CertificateStatus.Revoked));
            Assert.That(_factory.Logs.Entries.Any(e => e.EventId.Id == 4001 && e.Message.Contains("CN=alice", StringComparison.Ordinal) && e.Message.Contains(SerialNumber.ToOpenSsl(record.Serial), StringComparison.Ordinal)), Is.True);
        }
    }

    [Test]
    public async Task Revoke_NoBody_RevokesUnspecified()
    {
        CertificateRecord record = Seed(NewProfile());

        JsonElement revoked = await PostJsonAsync($"/admin/v1/certificates/{record.Serial}/revoke", body: null);

        Assert.That(revoked.GetProperty("revocationReason").GetString(), Is.EqualTo("unspecified"));
    }

    [Test]
    public async Task Revoke_BadReason_Returns400ListingChoices()
    {
        CertificateRecord record = Seed(NewProfile());

        using HttpResponseMessage response = await PostAsync($"/admin/v1/certificates/{record.Serial}/revoke", """{"reason":"lost"}""");

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.BadRequest, $"unknown reason 'lost'; use one of {RevocationReasons.Choices}");
        Assert.That(Store.Get(record.Serial)!.Status, Is.EqualTo(CertificateStatus.Good));
    }

    [Test]
    public async Task Revoke_MalformedBody_Returns400()
    {
        CertificateRecord record = Seed(NewProfile());

        using HttpResponseMessage response = await PostAsync($"/admin/v1/certificates/{record.Serial}/revoke", """{"reasn":"keyCompromise"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Revoke_UnknownSerial_Returns404()
    {
        using HttpResponseMessage response = await PostAsync("/admin/v1/certificates/0DEAD0/revoke", null);

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.NotFound, "no certificate with serial 0DEAD0");
    }

    [Test]
    public async Task Revoke_WithGet_Returns405()
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path("/admin/v1/certificates/0A/revoke"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { "POST" }));
    }

    [Test]
    public async Task Block_DeviceWithCertificates_RevokesThemAndUnblockLiftsTheBlock()
    {
        string device = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        string profile = NewProfile();
        Seed(profile, device);
        Seed(profile, device);

        JsonElement block = await PostJsonAsync($"/admin/v1/devices/{device.ToUpperInvariant()}/block", """{"reason":"stolen"}""");
        bool blocked = Store.IsBlocked(device);
        JsonElement unblock = await PostJsonAsync($"/admin/v1/devices/{device}/unblock", null);
        using HttpResponseMessage again = await PostAsync($"/admin/v1/devices/{device}/unblock", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.GetProperty("revokedCount").GetInt32(), Is.EqualTo(2));
            Assert.That(block.GetProperty("reason").GetString(), Is.EqualTo("stolen"));
            Assert.That(block.GetProperty("deviceIdentity").GetString(), Is.EqualTo(device));
            Assert.That(blocked, Is.True);
            Assert.That(Store.Search(new CertificateQuery { DeviceIdentity = device }, DateTimeOffset.UtcNow).Select(r => r.RevocationReason), Is.All.EqualTo(RevocationReason.CessationOfOperation));
            Assert.That(unblock.GetProperty("unblocked").GetBoolean(), Is.True);
            Assert.That(Store.IsBlocked(device), Is.False);
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task Audit_AfterRevoke_ShowsRowWithActorFromClientCertificate()
    {
        CertificateRecord record = Seed(NewProfile());
        await PostJsonAsync($"/admin/v1/certificates/{record.Serial}/revoke", """{"reason":"affiliationChanged"}""");

        JsonElement audit = await GetJsonAsync("/admin/v1/audit?limit=5");

        JsonElement row = audit.EnumerateArray().First(r => r.GetProperty("target").GetString() == record.Serial);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.GetProperty("action").GetString(), Is.EqualTo("revoke"));
            Assert.That(row.GetProperty("actor").GetString(), Does.StartWith("CN=alice, O=Ops (sha256 ").And.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_admin.Operator.RawData))));
            Assert.That(row.GetProperty("detail").GetString(), Is.EqualTo("affiliationChanged"));
        }
    }

    [TestCase("GET", "/admin/v1/certificates")]
    [TestCase("GET", "/admin/v1/certificates/0A1B")]
    [TestCase("POST", "/admin/v1/certificates/0A1B/revoke")]
    [TestCase("POST", "/admin/v1/devices/abc/block")]
    [TestCase("GET", "/admin/v1/audit")]
    public async Task Request_StoreDown_Returns503WithRetryAfter(string method, string path)
    {
        Switch.Reachable = false;
        using var request = new HttpRequestMessage(new HttpMethod(method), EstWire.Path(path));

        using HttpResponseMessage response = await _client.SendAsync(request);

        await AdminAnswers.AssertRefusedAsync(response, HttpStatusCode.ServiceUnavailable, "the certificate store is unavailable; try again later");
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    private static string NewProfile() => "admin-test-" + Guid.NewGuid().ToString("N")[..12];

    private static IEnumerable<string?> Serials(JsonElement array) => array.EnumerateArray().Select(r => r.GetProperty("serial").GetString());

    private CertificateRecord Seed(string profile, string? device = null, string subject = "CN=device,O=Example", TimeSpan? validity = null)
    {
        CertificateRecord record = TestCertificateRecord.Create(DateTimeOffset.UtcNow.AddMinutes(-1), deviceIdentity: device, subject: subject, profile: profile, validity: validity);
        Store.Record(record, null);
        return record;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(EstWire.Path(path));
        return await AdminAnswers.ReadJsonAsync(response);
    }

    private async Task<JsonElement> PostJsonAsync(string path, string? body)
    {
        using HttpResponseMessage response = await PostAsync(path, body);
        return await AdminAnswers.ReadJsonAsync(response);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string? body) =>
        _client.PostAsync(EstWire.Path(path), body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
}
