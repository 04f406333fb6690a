using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Pipeline;

public class SigningJobProcessorTests
{
    private const string DeviceSubject = "CN=device-1, O=EstServer Tests";

    private TestCaHierarchy _pki = null!;
    private X509Certificate2 _client = null!;
    private CertificateProfile _profile = null!;
    private FakeTimeProvider _time = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _pki = TestCaHierarchy.Create(name: "Processor");
        _client = TestCertificates.CreateClient(_pki.IssuingCertificate, DeviceSubject, dnsNames: ["device-1.example"]);
        _profile = CertificateProfile.DeviceDefault("devices", new TrustAnchors("none", []));
    }

    [OneTimeTearDown]
    public void DisposeCa()
    {
        _client.Dispose();
        _pki.Dispose();
    }

    [SetUp]
    public void CreateClock() => _time = new FakeTimeProvider(DateTimeOffset.UtcNow);

    [Test]
    public void Process_GoodRequest_IssuesCertificateForCsrKey()
    {
        TestCsr csr = TestCsr.Create("CN=new-device", TestKeyType.EcP256, ["new-device.example"]);

        SigningOutcome outcome = CreateProcessor().Process(Request(csr.Der));

        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(((SigningOutcome.Issued)outcome).CertificateDer);
        Assert.Multiple(() =>
        {
            Assert.That(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(((ECDsa)csr.Key!).ExportSubjectPublicKeyInfo()));
            Assert.That(certificate.Subject, Is.EqualTo("CN=new-device"));
            Assert.That(certificate.IssuerName.RawData, Is.EqualTo(_pki.IssuingCertificate.SubjectName.RawData));
            Assert.That(_pki.Certifies(certificate, _time.GetUtcNow()), Is.True);
        });
    }

    [Test]
    public void Process_GoodRequest_LogsIssuedSerialAndRequester()
    {
        var logger = new RecordingLogger<SigningJobProcessor>();
        SigningRequest request = Request(TestCsr.Create("CN=audited").Der);

        var outcome = (SigningOutcome.Issued)CreateProcessor(logger: logger).Process(request);

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(outcome.CertificateDer);
        (LogLevel level, EventId eventId, string message) = logger.Entries.Single(entry => entry.EventId.Id == 3001);
        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(LogLevel.Information));
            Assert.That(message, Does.Contain($"serial={certificate.SerialNumber.ToLowerInvariant()}"));
            Assert.That(message, Does.Contain("device-1"), "the authenticated requester is on record");
            Assert.That(message, Does.Contain(request.Id));
        });
    }

    [Test]
    public void Process_UnknownProfile_RefusedNotFound()
    {
        SigningRequest request = Request(TestCsr.Create("CN=orphan").Der) with { ProfileName = "retired" };

        OutcomeAssert.Refused(CreateProcessor().Process(request), EstErrorKind.NotFound, "retired");
    }

    [Test]
    public void Process_WeakKey_RefusedBadRequestNamingKey()
    {
        OutcomeAssert.Refused(CreateProcessor().Process(Request(TestCsr.Create("CN=weak", TestKeyType.Rsa1024).Der)), EstErrorKind.BadRequest, "RSA-1024");
    }

    [Test]
    public void Process_P521Key_RefusedBadRequest()
    {
        OutcomeAssert.Refused(CreateProcessor().Process(Request(TestCsr.Create("CN=p521", TestKeyType.EcP521).Der)), EstErrorKind.BadRequest, "EC P-521");
    }

    [Test]
    public void Process_ProfileTightenedAfterQueuing_UsesProfileInForce()
    {
        // The host accepted RSA when it queued the job; the signer's profile set no longer does.
        CertificateProfile tightened = _profile with { Keys = new KeyPolicy { AllowRsa = false } };

        SigningOutcome outcome = CreateProcessor(tightened).Process(Request(TestCsr.Create("CN=rsa", TestKeyType.Rsa2048).Der));

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "RSA-2048");
    }

    [Test]
    public void Process_GarbageCsr_RefusedBadRequest()
    {
        OutcomeAssert.Refused(CreateProcessor().Process(Request(RandomNumberGenerator.GetBytes(64))), EstErrorKind.BadRequest, "CSR");
    }

    [Test]
    public void Process_TamperedCsr_RefusedBadRequest()
    {
        // Nothing read from the queue is trusted because the host looked at it: proof of possession
        // can be checked from the job alone, so the signer must check it too.
        byte[] tampered = TestCsr.Create("CN=honest").WithTamperedSubject("CN=victim").Der;

        OutcomeAssert.Refused(CreateProcessor().Process(Request(tampered)), EstErrorKind.BadRequest, "proof of possession");
    }

    [Test]
    public void Process_MalformedClientCertificate_RefusedBadRequest()
    {
        SigningRequest request = Request(TestCsr.Create("CN=x").Der) with { ClientCertificateDer = [0x30, 0x03, 0x02, 0x01, 0x01] };

        OutcomeAssert.Refused(CreateProcessor().Process(request), EstErrorKind.BadRequest, "client certificate is malformed");
    }

    [Test]
    public void Process_GarbageClientCertificate_RefusedBadRequest()
    {
        SigningRequest request = Request(TestCsr.Create("CN=x").Der) with { ClientCertificateDer = RandomNumberGenerator.GetBytes(40) };

        OutcomeAssert.Refused(CreateProcessor().Process(request), EstErrorKind.BadRequest, "client certificate is malformed");
    }

    [Test]
    public void Process_ReenrollWithChangedSubject_RefusedForbidden()
    {
        SigningRequest request = Request(TestCsr.Create("CN=device-2, O=EstServer Tests", dnsNames: ["device-1.example"]).Der, EnrollmentKind.Reenroll);

        OutcomeAssert.Refused(CreateProcessor().Process(request), EstErrorKind.Forbidden, "subject");
    }

    [Test]
    public void Process_ReenrollWithSameNames_Issued()
    {
        SigningRequest request = Request(TestCsr.Create(DeviceSubject, dnsNames: ["device-1.example"]).Der, EnrollmentKind.Reenroll);

        Assert.That(CreateProcessor().Process(request), Is.InstanceOf<SigningOutcome.Issued>());
    }

    [Test]
    public void Process_CaExpired_RefusedUnavailable()
    {
        _time.SetUtcNow(new DateTimeOffset(_pki.IssuingCertificate.NotAfter.ToUniversalTime()).AddMinutes(1));

        OutcomeAssert.Refused(CreateProcessor().Process(Request(TestCsr.Create("CN=late").Der)), EstErrorKind.Unavailable, "expired");
    }

    [Test]
    public void Process_Refusal_IsLoggedAsWarningWithReason()
    {
        var logger = new RecordingLogger<SigningJobProcessor>();

        CreateProcessor(logger: logger).Process(Request(TestCsr.Create("CN=weak", TestKeyType.Rsa1024).Der));

        (LogLevel level, EventId eventId, string message) = logger.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(LogLevel.Warning));
            Assert.That(eventId.Id, Is.EqualTo(3002));
            Assert.That(message, Does.Contain("RSA-1024"));
        });
    }

    private SigningJobProcessor CreateProcessor(CertificateProfile? profile = null, ILogger<SigningJobProcessor>? logger = null) =>
        new(
            new FixedProfileCatalogProvider(ProfileCatalog.SingleProfile(profile ?? _profile, ["devices"])),
            _pki.Issuer,
            _time,
            logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<SigningJobProcessor>.Instance);

    private SigningRequest Request(byte[] csrDer, EnrollmentKind kind = EnrollmentKind.Enroll) =>
        new(SigningRequestId.Derive(kind, "devices", _client.RawData, csrDer), "devices", "v1", kind, csrDer, _client.RawData, _time.GetUtcNow());


}
