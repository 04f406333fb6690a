using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// Every profile rule, broken over HTTP: 400 when the request's content breaks it, 403 when this client
/// may not have what it asks, always with a one-line reason that names the rule. Each rule lives in a
/// profile of its own, under a label of its own, with a request that passes next to the one refused.
/// </summary>
[TestFixture]
public sealed class EstEndpointsProfileRulesTests
{
    private const string Subject =
        "  - type: O\n    value: Example Devices\n  - type: CN\n    required: true\n    pattern: '[a-z0-9-]{1,32}'\n  - type: serialNumber\n    from: clientCertificate\n";

    private TempDirectory _anchors = null!;
    private X509Certificate2 _otherManufacturer = null!;
    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _client = null!;
    private X509Certificate2 _issuingCa = null!;

    private string OtherManufacturerPath => _anchors.Combine("other-manufacturer.pem");

    [OneTimeSetUp]
    public void StartServer()
    {
        _anchors = new TempDirectory();
        _otherManufacturer = TestCertificates.CreateRootCa("CN=Other Manufacturer CA");
        TestCertificates.WritePem(OtherManufacturerPath, _otherManufacturer);
        _factory = new EstHostFactory(profiles:
        [
            new TestProfile { Name = "subject", Labels = ["subject"], Subject = Subject, SubjectAltName = "" },
            new TestProfile
            {
                Name = "san",
                Labels = ["san"],
                Subject = "  - type: CN\n",
                SubjectAltName = "  - type: dns\n    pattern: '[a-z0-9-]+\\.devices\\.example'\n    min: 1\n    max: 2\n",
            },
            new TestProfile { Name = "ext", Labels = ["ext"], Extra = "csrExtensions:\n  honour: [subjectAltName]\n  reject: [extendedKeyUsage]\n  default: ignore\n" },
            new TestProfile { Name = "keys", Labels = ["keys"], Keys = "  ec: [P-384]\n" },
            new TestProfile { Name = "anchor", Labels = ["anchor"], TrustAnchors = [OtherManufacturerPath] },
            new TestProfile { Name = "window", Labels = ["window"], Reenroll = "  renewalWindow: 30d\n" },
            new TestProfile { Name = "grace", Labels = ["grace"], Reenroll = "  gracePeriod: 2d\n" },
        ]);
        _device = _factory.LoadDeviceIdentity();
        _client = _factory.CreateClientPresenting(_device);
        _issuingCa = _factory.LoadIssuingCa();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _issuingCa.Dispose();
        _client.Dispose();
        _device.Dispose();
        _factory.Dispose();
        _otherManufacturer.Dispose();
        _anchors.Dispose();
    }

    // ---- subject ------------------------------------------------------------------------------

    [Test]
    public async Task SimpleEnroll_SubjectWithinTheRules_IsBuiltInProfileOrderWithFixedAndCopiedValues()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("CN=dev-ok").Base64);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        Assert.That(IssuedCertificates.SubjectAttributes(issued), Is.EqualTo(new[]
        {
            ("2.5.4.10", "Example Devices"),
            ("2.5.4.3", "dev-ok"),
            ("2.5.4.5", "DEMO-DEVICE-0001"),
        }));
    }

    [Test]
    public async Task SimpleEnroll_SubjectAttributeTheProfileDoesNotList_Returns400NamingIt()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("CN=dev-1, OU=Lab").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subject attribute OU is not allowed by profile 'subject'\n");
    }

    [Test]
    public async Task SimpleEnroll_SubjectValueNotMatchingThePattern_Returns400NamingValueAndPattern()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("CN=Dev_1").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subject CN 'Dev_1' does not match the profile's pattern ", prefix: true);
    }

    [Test]
    public async Task SimpleEnroll_RequiredSubjectAttributeMissing_Returns400()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("O=Example Devices").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subject attribute CN is required\n");
    }

    [Test]
    public async Task SimpleEnroll_FixedSubjectValueDiffers_Returns400NamingTheFixedValue()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("CN=dev-1, O=Other Org").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subject O must be 'Example Devices' (or omitted)\n");
    }

    [Test]
    public async Task SimpleEnroll_FixedSubjectValueRepeatedExactly_Returns200()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("CN=dev-repeats, O=Example Devices").Base64);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleEnroll_ClientCertificateSubjectValueDiffers_Returns403NamingTheClientsValue()
    {
        using HttpResponseMessage response = await EnrollAsync("subject", TestCsr.Create("CN=dev-1, OID.2.5.4.5=OTHER-1").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "subject serialNumber must be the client certificate's ('DEMO-DEVICE-0001')\n");
    }

    [Test]
    public async Task SimpleEnroll_ClientCertificateWithoutTheValueToCopy_Returns403()
    {
        using X509Certificate2 manufacturer = TestCertificates.LoadPem(_factory.DevPki.ManufacturerCaCertificate, _factory.DevPki.ManufacturerCaKey);
        using X509Certificate2 device = TestCertificates.CreateClient(manufacturer, "CN=no-serial-device", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(1));
        using HttpClient client = _factory.CreateClientPresenting(device);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path("/.well-known/est/subject/simpleenroll"), EstWire.Body(TestCsr.Create("CN=dev-1").Base64));

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "the client certificate has no subject serialNumber to copy into the certificate\n");
    }

    // ---- subjectAltName -----------------------------------------------------------------------

    [Test]
    public async Task SimpleEnroll_SubjectAltNamesWithinTheRules_AreCopied()
    {
        TestCsr csr = TestCsr.Create("CN=san-ok", dnsNames: ["a.devices.example", "b.devices.example"]);

        using HttpResponseMessage response = await EnrollAsync("san", csr.Base64);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        var names = issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.That(names.EnumerateDnsNames(), Is.EqualTo(new[] { "a.devices.example", "b.devices.example" }));
    }

    [Test]
    public async Task SimpleEnroll_SubjectAltNameTypeNotAllowed_Returns400NamingTheType()
    {
        TestCsr csr = TestCsr.For("CN=san-ip").SubjectAltNames(names =>
        {
            names.AddDnsName("a.devices.example");
            names.AddIpAddress(IPAddress.Parse("192.0.2.7"));
        }).Build();

        using HttpResponseMessage response = await EnrollAsync("san", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subjectAltName ip entries are not allowed by profile 'san'\n");
    }

    [Test]
    public async Task SimpleEnroll_SubjectAltNameFormNoProfileCanAllow_Returns400NamingTheTag()
    {
        TestCsr csr = TestCsr.For("CN=san-upn").SubjectAltNames(names =>
        {
            names.AddDnsName("a.devices.example");
            names.AddUserPrincipalName("device@devices.example");
        }).Build();

        using HttpResponseMessage response = await EnrollAsync("san", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subjectAltName entries of kind [0] are not allowed by profile 'san'\n");
    }

    [Test]
    public async Task SimpleEnroll_FewerSubjectAltNamesThanMin_Returns400()
    {
        using HttpResponseMessage response = await EnrollAsync("san", TestCsr.Create("CN=san-none").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "at least 1 subjectAltName dns entries are required\n");
    }

    [Test]
    public async Task SimpleEnroll_MoreSubjectAltNamesThanMax_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=san-many", dnsNames: ["a.devices.example", "b.devices.example", "c.devices.example"]);

        using HttpResponseMessage response = await EnrollAsync("san", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "at most 2 subjectAltName dns entries are allowed\n");
    }

    [Test]
    public async Task SimpleEnroll_SubjectAltNameNotMatchingThePattern_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=san-foreign", dnsNames: ["a.other.example"]);

        using HttpResponseMessage response = await EnrollAsync("san", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subjectAltName dns 'a.other.example' does not match the profile's pattern ", prefix: true);
    }

    [Test]
    public async Task SimpleEnroll_SubjectAltNameWhereTheProfileAllowsNone_Returns400()
    {
        TestCsr csr = TestCsr.Create("CN=dev-with-san", dnsNames: ["dev.example"]);

        using HttpResponseMessage response = await EnrollAsync("subject", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "subjectAltName dns entries are not allowed by profile 'subject'\n");
    }

    // ---- requested extensions -----------------------------------------------------------------

    [Test]
    public async Task SimpleEnroll_RequestedExtensionListedUnderReject_Returns400NamingIt()
    {
        TestCsr csr = TestCsr.For("CN=ext-eku").Extension(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)).Build();

        using HttpResponseMessage response = await EnrollAsync("ext", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "the CSR requests extension extendedKeyUsage, which profile 'ext' does not accept\n");
    }

    [Test]
    public async Task SimpleEnroll_UnlistedExtensionUnderDefaultReject_Returns400NamingItsOid()
    {
        TestCsr csr = TestCsr.For("CN=dev-ext").Extension("1.3.6.1.4.1.99999.7", [0x05, 0x00]).Build();

        using HttpResponseMessage response = await EnrollAsync("subject", csr.Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "the CSR requests extension 1.3.6.1.4.1.99999.7, which profile 'subject' does not accept\n");
    }

    [Test]
    public async Task SimpleEnroll_UnlistedExtensionUnderDefaultIgnore_IsIssuedWithoutIt()
    {
        TestCsr csr = TestCsr.For("CN=ext-ignored").Extension("1.3.6.1.4.1.99999.7", [0x05, 0x00]).Build();

        using HttpResponseMessage response = await EnrollAsync("ext", csr.Base64);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 issued = await EstWire.ReadIssuedAsync(response);

        Assert.That(issued.Extensions["1.3.6.1.4.1.99999.7"], Is.Null);
    }

    // ---- keys ---------------------------------------------------------------------------------

    [TestCase(TestKeyType.EcP256, "EC P-256")]
    [TestCase(TestKeyType.EcP521, "EC P-521")]
    [TestCase(TestKeyType.Rsa2048, "RSA-2048")]
    [TestCase(TestKeyType.Ed25519, "Ed25519")]
    public async Task SimpleEnroll_KeyOutsideTheProfilesKeys_Returns400ListingWhatIsAllowed(TestKeyType keyType, string key)
    {
        using HttpResponseMessage response = await EnrollAsync("keys", TestCsr.Create("CN=key-refused", keyType).Base64);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, $"CSR key {key} is not allowed; allowed: EC P-384\n");
    }

    [Test]
    public async Task SimpleEnroll_KeyTheProfileAllows_Returns200()
    {
        using HttpResponseMessage response = await EnrollAsync("keys", TestCsr.Create("CN=key-ok", TestKeyType.EcP384).Base64);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    // ---- enroll trust anchors -----------------------------------------------------------------

    [Test]
    public async Task SimpleEnroll_DeviceFromAnAnchorTheProfileDoesNotTrust_Returns403NamingItsAnchors()
    {
        using HttpResponseMessage response = await EnrollAsync("anchor", TestCsr.Create("CN=anchor-demo").Base64);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, $"client certificate is not issued by a trusted device-identity CA ({OtherManufacturerPath})\n");
    }

    [Test]
    public async Task SimpleEnroll_DeviceTrustedByOneProfile_IsRefusedByTheOther()
    {
        using X509Certificate2 device = TestCertificates.CreateClient(_otherManufacturer, "CN=other-device");
        using HttpClient client = _factory.CreateClientPresenting(device);
        TestCsr csr = TestCsr.Create("CN=other-device");

        using HttpResponseMessage trusted = await client.PostAsync(EstWire.Path("/.well-known/est/anchor/simpleenroll"), EstWire.Body(csr.Base64));
        using HttpResponseMessage untrusted = await client.PostAsync(EstWire.Path("/.well-known/est/window/simpleenroll"), EstWire.Body(csr.Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(trusted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await trusted.Content.ReadAsStringAsync());
            Assert.That(untrusted.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await untrusted.Content.ReadAsStringAsync(), Is.EqualTo("client certificate is not issued by a trusted device-identity CA (dev:manufacturer)\n"));
        }
    }

    // ---- re-enrollment ------------------------------------------------------------------------

    [Test]
    public async Task SimpleReenroll_BeforeTheRenewalWindow_Returns403SayingWhenItOpens()
    {
        using HttpResponseMessage enrolled = await EnrollAsync("window", TestCsr.Create("CN=window-early").Base64);
        Assert.That(enrolled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await enrolled.Content.ReadAsStringAsync());
        using X509Certificate2 current = await EstWire.ReadIssuedAsync(enrolled);
        DateTime opens = current.NotAfter.ToUniversalTime().AddDays(-30);

        using HttpResponseMessage response = await ReenrollAsync(current, "window", "CN=window-early");

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, $"the certificate is not due for renewal yet; profile 'window' accepts re-enrollment from {opens:u}\n");
    }

    [Test]
    public async Task SimpleReenroll_InsideTheRenewalWindow_Returns200()
    {
        using X509Certificate2 current = TestCertificates.CreateClient(
            _issuingCa, "CN=window-due", DateTimeOffset.UtcNow.AddDays(-355), DateTimeOffset.UtcNow.AddDays(10), policyOids: [TestProfile.DefaultPolicyOid]);

        using HttpResponseMessage response = await ReenrollAsync(current, "window", "CN=window-due");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleReenroll_ExpiredBeyondTheGracePeriod_Returns403NamingIt()
    {
        DateTimeOffset notAfter = TruncateToSeconds(DateTimeOffset.UtcNow.AddDays(-3));
        using X509Certificate2 expired = TestCertificates.CreateClient(_issuingCa, "CN=grace-over", notAfter.AddDays(-365), notAfter, policyOids: [TestProfile.DefaultPolicyOid]);

        using HttpResponseMessage response = await ReenrollAsync(expired, "grace", "CN=grace-over");

        await AssertRefusedAsync(
            response, HttpStatusCode.Forbidden, $"client certificate expired at {notAfter.UtcDateTime:u}, beyond the re-enrollment grace period of 2.00:00:00\n");
    }

    [Test]
    public async Task SimpleReenroll_ExpiredWithinTheGracePeriod_Returns200()
    {
        using X509Certificate2 expired = TestCertificates.CreateClient(
            _issuingCa, "CN=grace-within", DateTimeOffset.UtcNow.AddDays(-366), DateTimeOffset.UtcNow.AddDays(-1), policyOids: [TestProfile.DefaultPolicyOid]);

        using HttpResponseMessage response = await ReenrollAsync(expired, "grace", "CN=grace-within");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleReenroll_CurrentCertificateWithoutTheProfilesPolicy_Returns403SayingWhereToRenew()
    {
        using X509Certificate2 current = TestCertificates.CreateClient(
            _issuingCa, "CN=window-no-policy", DateTimeOffset.UtcNow.AddDays(-355), DateTimeOffset.UtcNow.AddDays(10));

        using HttpResponseMessage response = await ReenrollAsync(current, "window", "CN=window-no-policy");

        await AssertRefusedAsync(
            response, HttpStatusCode.Forbidden, "the certificate was not issued under profile 'window' (none of its policies); renew it under the label it was issued for\n");
    }

    [Test]
    public async Task SimpleReenroll_ExpiredUnderAProfileWithoutGracePeriod_Returns403()
    {
        using X509Certificate2 expired = TestCertificates.CreateClient(
            _issuingCa, "CN=grace-none", DateTimeOffset.UtcNow.AddDays(-366), DateTimeOffset.UtcNow.AddDays(-1), policyOids: [TestProfile.DefaultPolicyOid]);

        using HttpResponseMessage response = await ReenrollAsync(expired, "window", "CN=grace-none");

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "client certificate expired at ", prefix: true);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason, bool prefix = false)
    {
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body, prefix ? Does.StartWith(reason) : Is.EqualTo(reason));
            Assert.That(body.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        }
    }

    private Task<HttpResponseMessage> EnrollAsync(string label, string csrBase64) =>
        _client.PostAsync(EstWire.Path($"/.well-known/est/{label}/simpleenroll"), EstWire.Body(csrBase64));

    private async Task<HttpResponseMessage> ReenrollAsync(X509Certificate2 current, string label, string subject)
    {
        using HttpClient client = _factory.CreateClientPresenting(current);
        return await client.PostAsync(EstWire.Path($"/.well-known/est/{label}/simplereenroll"), EstWire.Body(TestCsr.Create(subject).Base64));
    }
}
