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

/// <summary>The signer's part of the pipeline: a job checked again from its bytes, then duplicate key, sign, record.</summary>
public class EnrollmentPipelineSignTests
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
        _profile = ModelProfiles.Device("devices", new TrustAnchors("none", []));
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
    public void Sign_GoodRequest_IssuesCertificateForCsrKey()
    {
        TestCsr csr = TestCsr.Create("CN=new-device", TestKeyType.EcP256, ["new-device.example"]);

        SigningOutcome outcome = Process(CreatePipeline(), Request(csr.Der));

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
    public void Sign_GoodRequest_LogsIssuedSerialAndRequester()
    {
        var logger = new RecordingLogger<IssuanceRecorder>();
        SigningRequest request = Request(TestCsr.Create("CN=audited").Der);

        var outcome = (SigningOutcome.Issued)Process(CreatePipeline(auditLogger: logger), request);

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
    public void Sign_UnknownProfile_RefusedNotFound()
    {
        SigningRequest request = Request(TestCsr.Create("CN=orphan").Der) with { ProfileName = "retired" };

        OutcomeAssert.Refused(Process(CreatePipeline(), request), EstErrorKind.NotFound, "retired");
    }

    [Test]
    public void Sign_WeakKey_RefusedBadRequestNamingKey()
    {
        OutcomeAssert.Refused(Process(CreatePipeline(), Request(TestCsr.Create("CN=weak", TestKeyType.Rsa1024).Der)), EstErrorKind.BadRequest, "RSA-1024");
    }

    [Test]
    public void Sign_P521Key_RefusedBadRequest()
    {
        OutcomeAssert.Refused(Process(CreatePipeline(), Request(TestCsr.Create("CN=p521", TestKeyType.EcP521).Der)), EstErrorKind.BadRequest, "EC P-521");
    }

    [Test]
    public void Sign_ProfileTightenedAfterQueuing_UsesProfileInForce()
    {
        // The host accepted RSA when it queued the job; the signer's profile set no longer does.
        CertificateProfile tightened = _profile with { Keys = ModelProfiles.DeviceKeys with { AllowRsa = false } };

        SigningOutcome outcome = Process(CreatePipeline(tightened), Request(TestCsr.Create("CN=rsa", TestKeyType.Rsa2048).Der));

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "RSA-2048");
    }

    [Test]
    public void Sign_GarbageCsr_RefusedBadRequest()
    {
        OutcomeAssert.Refused(Process(CreatePipeline(), Request(RandomNumberGenerator.GetBytes(64))), EstErrorKind.BadRequest, "CSR");
    }

    [Test]
    public void Sign_TamperedCsr_RefusedBadRequest()
    {
        // Nothing read from the queue is trusted because the host looked at it: proof of possession
        // can be checked from the job alone, so the signer must check it too.
        byte[] tampered = TestCsr.Create("CN=honest").WithTamperedSubject("CN=victim").Der;

        OutcomeAssert.Refused(Process(CreatePipeline(), Request(tampered)), EstErrorKind.BadRequest, "proof of possession");
    }

    [Test]
    public void Sign_MalformedClientCertificate_RefusedBadRequest()
    {
        SigningRequest request = Request(TestCsr.Create("CN=x").Der) with { ClientCertificateDer = [0x30, 0x03, 0x02, 0x01, 0x01] };

        OutcomeAssert.Refused(Process(CreatePipeline(), request), EstErrorKind.BadRequest, "client certificate is malformed");
    }

    [Test]
    public void Sign_GarbageClientCertificate_RefusedBadRequest()
    {
        SigningRequest request = Request(TestCsr.Create("CN=x").Der) with { ClientCertificateDer = RandomNumberGenerator.GetBytes(40) };

        OutcomeAssert.Refused(Process(CreatePipeline(), request), EstErrorKind.BadRequest, "client certificate is malformed");
    }

    [Test]
    public void Sign_ReenrollWithChangedSubject_RefusedForbidden()
    {
        SigningRequest request = Request(TestCsr.Create("CN=device-2, O=EstServer Tests", dnsNames: ["device-1.example"]).Der, EnrollmentKind.Reenroll);

        OutcomeAssert.Refused(Process(CreatePipeline(), request), EstErrorKind.Forbidden, "subject");
    }

    [Test]
    public void Sign_ReenrollWithSameNames_Issued()
    {
        SigningRequest request = Request(TestCsr.Create(DeviceSubject, dnsNames: ["device-1.example"]).Der, EnrollmentKind.Reenroll);

        Assert.That(Process(CreatePipeline(), request), Is.InstanceOf<SigningOutcome.Issued>());
    }

    [Test]
    public void Sign_CaExpired_RefusedUnavailable()
    {
        _time.SetUtcNow(new DateTimeOffset(_pki.IssuingCertificate.NotAfter.ToUniversalTime()).AddMinutes(1));

        OutcomeAssert.Refused(Process(CreatePipeline(), Request(TestCsr.Create("CN=late").Der)), EstErrorKind.Unavailable, "expired");
    }

    [Test]
    public void Sign_Refusal_IsLoggedAsWarningWithReason()
    {
        var logger = new RecordingLogger<EnrollmentPipeline>();

        Process(CreatePipeline(logger: logger), Request(TestCsr.Create("CN=weak", TestKeyType.Rsa1024).Der));

        (LogLevel level, EventId eventId, string message) = logger.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(level, Is.EqualTo(LogLevel.Warning));
            Assert.That(eventId.Id, Is.EqualTo(3002));
            Assert.That(message, Does.Contain("RSA-1024"));
        });
    }

    [Test]
    public void Sign_JobCheckedInThisProcess_NotCheckedAgain()
    {
        // The in-process queue hands the signer the very checks this process made; the job's bytes are
        // then not parsed again (here they are garbage, and the certificate is still the checked one's).
        TestCsr csr = TestCsr.Create("CN=checked-once");
        EnrollmentPipeline pipeline = CreatePipeline();
        CheckedEnrollment checkedHere = Check(pipeline, csr.Der);
        SigningRequest job = SigningRequest.For(checkedHere) with { CsrDer = RandomNumberGenerator.GetBytes(64) };

        SigningOutcome outcome = Process(pipeline, job);

        Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(((SigningOutcome.Issued)outcome).CertificateDer);
        Assert.That(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(((ECDsa)csr.Key!).ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void Sign_JobCheckedUnderAnEarlierProfileVersion_CheckedAgainUnderTheProfileInForce()
    {
        CheckedEnrollment checkedBefore = Check(CreatePipeline(), TestCsr.Create("CN=rsa", TestKeyType.Rsa2048).Der);
        CertificateProfile tightened = _profile with { Version = "tightened", Keys = ModelProfiles.DeviceKeys with { AllowRsa = false } };

        SigningOutcome outcome = Process(CreatePipeline(tightened), SigningRequest.For(checkedBefore));

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "RSA-2048");
    }

    [Test]
    public void Sign_KeyAlreadyCertifiedToAnotherIdentity_RefusedForbidden()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var store = TestStore.Sqlite(_time);
        EnrollmentPipeline pipeline = TestPipeline.Create(
            ModelProfiles.Catalog(_profile, ["devices"]), _pki.Ca, _pki.Signer, _time, store: store.Store, refuseDuplicateKeys: true);

        SigningOutcome first = Process(pipeline, Request(TestCsr.Create("CN=original", key, TestKeyType.EcP256).Der));
        SigningOutcome again = Process(pipeline, Request(TestCsr.Create("CN=original", key, TestKeyType.EcP256).Der));
        SigningOutcome clone = Process(pipeline, Request(TestCsr.Create("CN=clone", key, TestKeyType.EcP256).Der));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.InstanceOf<SigningOutcome.Issued>());
            Assert.That(again, Is.InstanceOf<SigningOutcome.Issued>(), "the same identity may certify its key again");
        });
        OutcomeAssert.Refused(clone, EstErrorKind.Forbidden, "already certified to another identity");
    }

    [Test]
    public void Sign_KeylessPipeline_Throws()
    {
        EnrollmentPipeline keyless = TestPipeline.Create(ModelProfiles.Catalog(_profile, ["devices"]), _pki.Ca, signer: null, _time);

        Assert.Throws<InvalidOperationException>(() => keyless.Sign(Request(TestCsr.Create("CN=x").Der)));
    }

    private EnrollmentPipeline CreatePipeline(
        CertificateProfile? profile = null, ILogger<EnrollmentPipeline>? logger = null, ILogger<IssuanceRecorder>? auditLogger = null) =>
        TestPipeline.Create(
            ModelProfiles.Catalog(profile ?? _profile, ["devices"]), _pki.Ca, _pki.Signer, _time, logger: logger, auditLogger: auditLogger);

    private CheckedEnrollment Check(EnrollmentPipeline pipeline, byte[] csrDer)
    {
        Result<CheckedEnrollment> checkedEnrollment = pipeline.CheckCsr(EnrollmentKind.Enroll, _profile, Requester.From(_client), csrDer, _time.GetUtcNow());
        Assert.That(checkedEnrollment.IsSuccess, Is.True, checkedEnrollment.Error?.Reason);
        return checkedEnrollment.Value;
    }

    private static SigningOutcome Process(EnrollmentPipeline pipeline, SigningRequest request) => SigningOutcome.From(pipeline.Sign(request));

    private SigningRequest Request(byte[] csrDer, EnrollmentKind kind = EnrollmentKind.Enroll) =>
        new(SigningRequestId.Derive(kind, "devices", _client.RawData, csrDer), "devices", "v1", kind, csrDer, _client.RawData, _time.GetUtcNow());


}
