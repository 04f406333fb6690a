using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Reenrollment;

/// <summary>
/// POST /simplereenroll (RFC 7030 §4.2.2): the device authenticates with the certificate this server
/// issued it (and that certificate's key) in the TLS handshake, and renews or rekeys it.
/// </summary>
[TestFixture]
public sealed class SimpleReenrollTests
{
    private const string Subject = "CN=e2e-reenroll-device, O=EstServer E2E";

    private EstTestServer _server = null!;
    private TestCsr _firstCsr = null!;
    private X509Certificate2 _operational = null!;
    private HttpClient _operationalClient = null!;

    [OneTimeSetUp]
    public async Task StartServerAndEnroll()
    {
        _server = await EstTestServer.StartAsync();
        _firstCsr = TestCsr.Create(Subject);
        using HttpClient device = _server.CreateClient(_server.DemoDevice);
        using X509Certificate2 issued = await EstRequests.EnrollAsync(device, EstRequests.SimpleEnroll, _firstCsr);
        _operational = EstRequests.WithKey(issued, _firstCsr);
        _operationalClient = _server.CreateClient(_operational);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _operationalClient?.Dispose();
        _operational?.Dispose();
        _firstCsr?.Key?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task SimpleReenroll_SameKey_Returns200WithNewSerialForSameKey()
    {
        TestCsr renewal = TestCsr.Create(Subject, _firstCsr.Key!, _firstCsr.KeyType);
        using X509Certificate2 renewed = await EstRequests.EnrollAsync(_operationalClient, EstRequests.SimpleReenroll, renewal);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(renewed.SerialNumber, Is.Not.EqualTo(_operational.SerialNumber), "a new certificate");
            Assert.That(renewed.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(_operational.PublicKey.ExportSubjectPublicKeyInfo()), "the same key");
            Assert.That(renewed.SubjectName.Name, Is.EqualTo(_operational.SubjectName.Name));
        }

        IssuedCertificateAssert.ChainsToTrustAnchorViaIssuingCa(renewed, _server.IssuingCa, _server.TrustAnchor);
        IssuedCertificateAssert.IsClientAuthEndEntity(renewed);
    }

    [Test]
    public async Task SimpleReenroll_NewKeySameSubject_Returns200WithNewKey()
    {
        TestCsr rekey = TestCsr.Create(Subject);
        using X509Certificate2 renewed = await EstRequests.EnrollAsync(_operationalClient, EstRequests.SimpleReenroll, rekey);

        IssuedCertificateAssert.CertifiesCsr(renewed, rekey);
        Assert.That(renewed.PublicKey.ExportSubjectPublicKeyInfo(), Is.Not.EqualTo(_operational.PublicKey.ExportSubjectPublicKeyInfo()), "the new key, not the old one");
    }

    [Test]
    public async Task SimpleReenroll_RenewedCertificate_CanReenrollAgain()
    {
        TestCsr second = TestCsr.Create(Subject);
        using X509Certificate2 renewed = await EstRequests.EnrollAsync(_operationalClient, EstRequests.SimpleReenroll, second);
        using X509Certificate2 renewedWithKey = EstRequests.WithKey(renewed, second);
        using HttpClient renewedClient = _server.CreateClient(renewedWithKey);

        TestCsr third = TestCsr.Create(Subject);
        using X509Certificate2 again = await EstRequests.EnrollAsync(renewedClient, EstRequests.SimpleReenroll, third);

        IssuedCertificateAssert.CertifiesCsr(again, third);
    }

    [Test]
    public async Task SimpleReenroll_ChangedSubject_Returns403()
    {
        TestCsr renamed = TestCsr.Create("CN=e2e-someone-else, O=EstServer E2E", _firstCsr.Key!, _firstCsr.KeyType);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(_operationalClient, EstRequests.SimpleReenroll, renamed);

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "subject");
    }

    [Test]
    public async Task SimpleReenroll_DeviceIdentityNotIssuedByServer_Returns403()
    {
        using HttpClient device = _server.CreateClient(_server.DemoDevice);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(device, EstRequests.SimpleReenroll, TestCsr.Create(_server.DemoDevice.Subject));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "not issued by this EST server's CA");
    }

    [Test]
    public async Task SimpleReenroll_ServerCertificateSignedByRootDirectly_Returns403()
    {
        // server.pem chains to the same trust anchor, but was not issued by the issuing CA.
        using X509Certificate2 serverCertificate = TestCertificates.LoadPem(_server.Pki.ServerCertificate, _server.Pki.ServerKey);
        using HttpClient client = _server.CreateClient(serverCertificate);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create(serverCertificate.Subject));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "not issued by this EST server's CA");
    }

    [Test]
    public async Task SimpleReenroll_NoClientCertificate_Returns401()
    {
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create(Subject));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task SimpleReenroll_SelfSignedImpostorWithSameSubject_Returns403()
    {
        // Same name as the issued certificate, own key, no issuer: the name alone must not authenticate.
        using ECDsa impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 impostor = TestCertificates.CreateCa(Subject, impostorKey, notBefore: DateTimeOffset.UtcNow.AddMinutes(-1), notAfter: DateTimeOffset.UtcNow.AddDays(1), isCa: false);
        using HttpClient client = _server.CreateClient(impostor);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create(Subject, impostorKey, TestKeyType.EcP256));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "not issued by this EST server's CA");
    }

    [Test]
    public async Task SimpleReenroll_ExpiredCertificateIssuedByServerCa_Returns403WithExpiredReason()
    {
        // Made with the dev issuing CA's own key, so only its expiry stands between it and a renewal.
        using X509Certificate2 expired = MintWithIssuingCa("CN=e2e-expired-operational", expired: true);
        using HttpClient client = _server.CreateClient(expired);
        using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create("CN=e2e-expired-operational"));

        await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "expired");
    }

    [Test]
    public async Task SimpleReenroll_CurrentCertificateIssuedByServerCa_Returns200()
    {
        using X509Certificate2 current = MintWithIssuingCa("CN=e2e-current-operational", expired: false);
        using HttpClient client = _server.CreateClient(current);
        TestCsr csr = TestCsr.Create("CN=e2e-current-operational");

        using X509Certificate2 renewed = await EstRequests.EnrollAsync(client, EstRequests.SimpleReenroll, csr);

        IssuedCertificateAssert.CertifiesCsr(renewed, csr);
    }

    [Test]
    public async Task SimpleReenroll_SameSubjectAltNames_Returns200KeepingThem()
    {
        (X509Certificate2 operational, TestCsr _) = await EnrollWithNamesAsync("CN=e2e-san-keep", ["keep.e2e.example", "keep-2.e2e.example"]);
        using (operational)
        {
            using HttpClient client = _server.CreateClient(operational);
            TestCsr renewal = TestCsr.Create("CN=e2e-san-keep", dnsNames: ["KEEP-2.e2e.example", "keep.e2e.example"]);

            using X509Certificate2 renewed = await EstRequests.EnrollAsync(client, EstRequests.SimpleReenroll, renewal);

            Assert.That(renewed.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames(),
                Is.EquivalentTo(new[] { "KEEP-2.e2e.example", "keep.e2e.example" }));
        }
    }

    [Test]
    public async Task SimpleReenroll_DroppedSubjectAltName_Returns403()
    {
        (X509Certificate2 operational, TestCsr _) = await EnrollWithNamesAsync("CN=e2e-san-drop", ["drop.e2e.example"]);
        using (operational)
        {
            using HttpClient client = _server.CreateClient(operational);
            using HttpResponseMessage response = await EstRequests.PostCsrAsync(client, EstRequests.SimpleReenroll, TestCsr.Create("CN=e2e-san-drop"));

            await EstAssert.RefusedAsync(response, HttpStatusCode.Forbidden, "subjectAltName");
        }
    }

    [Test]
    public async Task SimpleReenroll_EmptySubjectWithSameSubjectAltName_Returns200()
    {
        (X509Certificate2 operational, TestCsr _) = await EnrollWithNamesAsync("", ["nameless.e2e.example"]);
        using (operational)
        {
            using HttpClient client = _server.CreateClient(operational);
            TestCsr renewal = TestCsr.Create("", dnsNames: ["nameless.e2e.example"]);

            using X509Certificate2 renewed = await EstRequests.EnrollAsync(client, EstRequests.SimpleReenroll, renewal);

            IssuedCertificateAssert.CertifiesCsr(renewed, renewal);
        }
    }

    private async Task<(X509Certificate2 Operational, TestCsr Csr)> EnrollWithNamesAsync(string subject, string[] dnsNames)
    {
        TestCsr csr = TestCsr.Create(subject, dnsNames: dnsNames);
        using HttpClient device = _server.CreateClient(_server.DemoDevice);
        using X509Certificate2 issued = await EstRequests.EnrollAsync(device, EstRequests.SimpleEnroll, csr);
        return (EstRequests.WithKey(issued, csr), csr);
    }

    private X509Certificate2 MintWithIssuingCa(string subject, bool expired)
    {
        using X509Certificate2 issuing = TestCertificates.LoadPem(_server.Pki.IssuingCaCertificate, _server.Pki.IssuingCaKey);
        var born = new DateTimeOffset(issuing.NotBefore.ToUniversalTime());
        // With the default profile's policy, as if the server had issued it under that profile.
        X509Certificate2 certificate = TestCertificates.CreateClient(issuing, subject, notBefore: born, notAfter: expired ? born.AddMinutes(1) : born.AddDays(30),
            policyOids: [EstTestServer.DefaultPolicyOid]);
        Assert.That(certificate.NotAfter.ToUniversalTime() < DateTime.UtcNow, Is.EqualTo(expired), "precondition: validity");
        return certificate;
    }
}
