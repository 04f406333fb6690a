using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Endpoints;

/// <summary>
/// simplereenroll (RFC 7030 §4.2.2): authenticated by a certificate this server issued, for the same
/// subject and subjectAltName; a device identity or a foreign certificate is refused.
/// </summary>
[TestFixture]
public sealed class EstEndpointsReenrollTests
{
    private const string SimpleEnroll = "/.well-known/est/simpleenroll";
    private const string SimpleReenroll = "/.well-known/est/simplereenroll";

    private EstHostFactory _factory = null!;
    private X509Certificate2 _device = null!;
    private HttpClient _deviceClient = null!;
    private X509Certificate2 _issuingCa = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        // Not about policy: a permissive profile without a grace period, so subjects and names are the tests' own.
        _factory = new EstHostFactory(profiles: [new TestProfile { Name = "reenroll", Default = true }]);
        _device = _factory.LoadDeviceIdentity();
        _deviceClient = _factory.CreateClientPresenting(_device);
        _issuingCa = _factory.LoadIssuingCa();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _issuingCa.Dispose();
        _deviceClient.Dispose();
        _device.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task SimpleReenroll_CertificateFromEarlierEnrollmentWithNewKey_Returns200ForTheNewKey()
    {
        using X509Certificate2 current = await EnrollAsync(TestCsr.Create("CN=reenroll-rekey, O=Host Tests"));
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr rekey = TestCsr.Create("CN=reenroll-rekey, O=Host Tests");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(rekey.Base64));
        string body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        X509Certificate2Collection certificates = EstWire.ReadCertsOnly(body);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificates, Has.Count.EqualTo(1));
            Assert.That(certificates[0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(rekey.SubjectPublicKeyInfo));
            Assert.That(certificates[0].SubjectName.RawData, Is.EqualTo(current.SubjectName.RawData));
            Assert.That(certificates[0].SerialNumber, Is.Not.EqualTo(current.SerialNumber));
        }
    }

    [Test]
    public async Task SimpleReenroll_SameKeyRenewal_Returns200()
    {
        TestCsr original = TestCsr.Create("CN=reenroll-renew");
        using X509Certificate2 current = await EnrollAsync(original);
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr renewal = TestCsr.Create("CN=reenroll-renew", original.Key!, original.KeyType);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(renewal.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using X509Certificate2 renewed = await EstWire.ReadIssuedAsync(response);

        Assert.That(renewed.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(current.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public async Task SimpleReenroll_CertificateIssuedByTheDevIssuingCa_Returns200()
    {
        using X509Certificate2 current = TestCertificates.CreateClient(
            _issuingCa, "CN=issued-earlier", CaStart(_issuingCa), DateTimeOffset.UtcNow.AddDays(30), policyOids: [TestProfile.DefaultPolicyOid]);
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr csr = TestCsr.Create("CN=issued-earlier");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleReenroll_ChangedSubject_Returns403()
    {
        using X509Certificate2 current = await EnrollAsync(TestCsr.Create("CN=reenroll-subject"));
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr renamed = TestCsr.Create("CN=someone-else");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(renamed.Base64));
        string body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body, Does.StartWith("re-enrollment must keep the subject of the current certificate"));
            Assert.That(body.Split('\n'), Is.EqualTo(new[] { body.TrimEnd('\n'), "" }), "one line, LF-terminated");
        }
    }

    [Test]
    public async Task SimpleReenroll_ChangedSubjectAltName_Returns403()
    {
        using X509Certificate2 current = await EnrollAsync(TestCsr.Create("CN=reenroll-san", dnsNames: ["a.example"]));
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr changed = TestCsr.Create("CN=reenroll-san", dnsNames: ["b.example"]);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(changed.Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("re-enrollment must keep the subjectAltName of the current certificate\n"));
        }
    }

    [Test]
    public async Task SimpleReenroll_SameSubjectAltNameInOtherCase_Returns200()
    {
        using X509Certificate2 current = await EnrollAsync(TestCsr.Create("CN=reenroll-san-case", dnsNames: ["Device.Example"]));
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr csr = TestCsr.Create("CN=reenroll-san-case", dnsNames: ["device.example"]);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleReenroll_DeviceIdentityNotIssuedByUs_Returns403PointingToSimpleEnroll()
    {
        TestCsr csr = TestCsr.Create(_device.Subject);

        using HttpResponseMessage response = await _deviceClient.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(
                await response.Content.ReadAsStringAsync(),
                Is.EqualTo("client certificate was not issued by this EST server's CA; use simpleenroll with a device identity\n"));
        }
    }

    [TestCase("server.pem")]
    [TestCase("trust-anchor.pem")]
    [TestCase("issuing-ca.pem")]
    public async Task SimpleReenroll_OtherCertificateOfTheSamePki_Returns403(string file)
    {
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_factory.DevPki.Directory, file));
        using HttpClient client = _factory.CreateClientPresenting(certificate);
        TestCsr csr = TestCsr.Create(certificate.Subject);

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "only certificates the issuing CA signed may re-enroll");
    }

    [Test]
    public async Task SimpleReenroll_CertificateFromImpostorCaWithTheIssuingCaName_Returns403()
    {
        using ECDsa impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 impostor = TestCertificates.CreateCa(_issuingCa.Subject, impostorKey, notAfter: DateTimeOffset.UtcNow.AddYears(1), subjectKeyIdentifier: false);
        using X509Certificate2 forged = TestCertificates.CreateClient(impostor, "CN=forged");
        using HttpClient client = _factory.CreateClientPresenting(forged);
        TestCsr csr = TestCsr.Create("CN=forged");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task SimpleReenroll_ExpiredIssuedCertificateWithoutGracePeriod_Returns403SayingExpired()
    {
        DateTimeOffset start = CaStart(_issuingCa);
        using X509Certificate2 expired = TestCertificates.CreateClient(
            _issuingCa, "CN=expired-operational", start.AddSeconds(1), start.AddMinutes(2), policyOids: [TestProfile.DefaultPolicyOid]);
        using HttpClient client = _factory.CreateClientPresenting(expired);
        TestCsr csr = TestCsr.Create("CN=expired-operational");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("client certificate expired at "));
        }
    }

    [Test]
    public async Task SimpleReenroll_ExpiredWithinConfiguredGracePeriod_Returns200()
    {
        using var factory = new EstHostFactory(profiles: [new TestProfile { Name = "grace", Default = true, Reenroll = "  gracePeriod: 1d\n" }]);
        using X509Certificate2 issuingCa = factory.LoadIssuingCa();
        DateTimeOffset start = CaStart(issuingCa);
        using X509Certificate2 expired = TestCertificates.CreateClient(
            issuingCa, "CN=expired-in-grace", start.AddSeconds(1), start.AddMinutes(2), policyOids: [TestProfile.DefaultPolicyOid]);
        using HttpClient client = factory.CreateClientPresenting(expired);
        TestCsr csr = TestCsr.Create("CN=expired-in-grace");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task SimpleEnroll_OperationalCertificateInsteadOfDeviceIdentity_Returns403()
    {
        using X509Certificate2 operational = await EnrollAsync(TestCsr.Create("CN=operational-enrolls-again"));
        using HttpClient client = _factory.CreateClientPresenting(operational);
        TestCsr csr = TestCsr.Create("CN=operational-enrolls-again");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task SimpleReenroll_TamperedCsr_Returns400()
    {
        using X509Certificate2 current = await EnrollAsync(TestCsr.Create("CN=reenroll-tampered"));
        using HttpClient client = _factory.CreateClientPresenting(current);
        TestCsr tampered = TestCsr.Create("CN=someone-else").WithTamperedSubject("CN=reenroll-tampered");

        using HttpResponseMessage response = await client.PostAsync(EstWire.Path(SimpleReenroll), EstWire.Body(tampered.Base64));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static DateTimeOffset CaStart(X509Certificate2 ca) => new(ca.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Enrolls with the demo device identity and returns the operational certificate.</summary>
    private async Task<X509Certificate2> EnrollAsync(TestCsr csr)
    {
        using HttpResponseMessage response = await _deviceClient.PostAsync(EstWire.Path(SimpleEnroll), EstWire.Body(csr.Base64));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await EstWire.ReadIssuedAsync(response);
    }
}
