using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.DevPki;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// One key, one identity (Est:DuplicateKeys, default refuse): a public key already certified to another
/// identity (subject and subjectAltName as issued) is a cloned or shared device key and is refused with
/// 403; the same identity may have it certified again, and renew with it; "allow" turns the check off.
/// </summary>
[TestFixture]
public sealed class EstEndpointsDuplicateKeyTests
{
    private const string Refused = "the CSR's public key is already certified to another identity; every device needs its own key\n";

    private EstHostFactory _refusing = null!;
    private EstHostFactory _allowing = null!;
    private X509Certificate2 _device = null!;
    private X509Certificate2 _otherDevice = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartServers()
    {
        TestProfile[] profiles =
        [
            new TestProfile { Name = "by-csr", Default = true },
            new TestProfile
            {
                Name = "by-device",
                Labels = ["bydevice"],
                Subject = "  - type: CN\n  - type: serialNumber\n    from: clientCertificate\n",
            },
        ];
        _refusing = new EstHostFactory(profiles: profiles);
        _allowing = new EstHostFactory(settings: new Dictionary<string, string?> { ["Est:DuplicateKeys"] = "allow" }, profiles: profiles);
        _device = _refusing.LoadDeviceIdentity();
        using X509Certificate2 manufacturer = TestCertificates.LoadPem(_refusing.DevPki.ManufacturerCaCertificate, _refusing.DevPki.ManufacturerCaKey);
        _otherDevice = DevCertificateFactory.CreateDevice(manufacturer, "dup-device-0002", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        _client = _refusing.CreateClientPresenting(_device);
    }

    [OneTimeTearDown]
    public void StopServers()
    {
        _client.Dispose();
        _otherDevice.Dispose();
        _device.Dispose();
        _allowing.Dispose();
        _refusing.Dispose();
    }

    [Test]
    public async Task SimpleEnroll_SameKeyForAnotherSubject_Returns403()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpResponseMessage first = await EnrollAsync(_client, TestCsr.Create("CN=dup-first", key, TestKeyType.EcP256));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        using HttpResponseMessage second = await EnrollAsync(_client, TestCsr.Create("CN=dup-second", key, TestKeyType.EcP256));

        await AssertRefusedAsync(second);
    }

    [Test]
    public async Task SimpleEnroll_SameKeyForTheSameSubjectWithAnotherSubjectAltName_Returns403()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpResponseMessage first = await EnrollAsync(_client, TestCsr.Create("CN=dup-san", key, TestKeyType.EcP256, dnsNames: ["one.example"]));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        using HttpResponseMessage second = await EnrollAsync(_client, TestCsr.Create("CN=dup-san", key, TestKeyType.EcP256, dnsNames: ["two.example"]));

        await AssertRefusedAsync(second);
    }

    [Test]
    public async Task SimpleEnroll_SameKeyAndRequestFromAnotherDevice_Returns403()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        TestCsr csr = TestCsr.Create("CN=cloned-sensor", key, TestKeyType.EcP256);
        using HttpClient other = _refusing.CreateClientPresenting(_otherDevice);
        using HttpResponseMessage first = await EnrollAsync(_client, csr, "bydevice");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        using HttpResponseMessage second = await EnrollAsync(other, csr, "bydevice");

        await AssertRefusedAsync(second);
    }

    [Test]
    public async Task SimpleEnroll_SameKeyForTheSameIdentityAgain_Returns200()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpResponseMessage first = await EnrollAsync(_client, TestCsr.Create("CN=dup-again", key, TestKeyType.EcP256));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        using HttpResponseMessage second = await EnrollAsync(_client, TestCsr.Create("CN=dup-again", key, TestKeyType.EcP256));

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), await second.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleEnroll_RefusedForAnotherIdentity_LeavesTheKeyWithItsOwner()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpResponseMessage owner = await EnrollAsync(_client, TestCsr.Create("CN=dup-owner", key, TestKeyType.EcP256));
        using HttpResponseMessage intruder = await EnrollAsync(_client, TestCsr.Create("CN=dup-intruder", key, TestKeyType.EcP256));

        using HttpResponseMessage ownerAgain = await EnrollAsync(_client, TestCsr.Create("CN=dup-owner", key, TestKeyType.EcP256));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(owner.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(intruder.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(ownerAgain.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ownerAgain.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task SimpleReenroll_SameIdentityRenewingWithTheSameKey_Returns200()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpResponseMessage enrolled = await EnrollAsync(_client, TestCsr.Create("CN=dup-renew", key, TestKeyType.EcP256));
        Assert.That(enrolled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await enrolled.Content.ReadAsStringAsync());
        using X509Certificate2 current = await EstWire.ReadIssuedAsync(enrolled);
        using HttpClient renewing = _refusing.CreateClientPresenting(current);

        using HttpResponseMessage renewed = await renewing.PostAsync(
            EstWire.Path("/.well-known/est/simplereenroll"), EstWire.Body(TestCsr.Create("CN=dup-renew", key, TestKeyType.EcP256).Base64));

        Assert.That(renewed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await renewed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleEnroll_SameKeyForAnotherSubjectWhenAllowed_Returns200()
    {
        using X509Certificate2 device = _allowing.LoadDeviceIdentity();
        using HttpClient client = _allowing.CreateClientPresenting(device);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using HttpResponseMessage first = await EnrollAsync(client, TestCsr.Create("CN=allowed-first", key, TestKeyType.EcP256));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());

        using HttpResponseMessage second = await EnrollAsync(client, TestCsr.Create("CN=allowed-second", key, TestKeyType.EcP256));

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), await second.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> EnrollAsync(HttpClient client, TestCsr csr, string? label = null) =>
        client.PostAsync(EstWire.Path(label is null ? "/.well-known/est/simpleenroll" : $"/.well-known/est/{label}/simpleenroll"), EstWire.Body(csr.Base64));

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, Is.EqualTo(Refused));
        }
    }
}
