using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Authority;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.Core.Wire;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Authority;

public class EstAuthorityTests
{
    private static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private DeviceMakerScene _scene = null!;
    private TestCaHierarchy _pki = null!;
    private X509Certificate2 _factoryRoot = null!;
    private X509Certificate2 _device = null!;
    private CertificateProfile _profile = null!;
    private FakeTimeProvider _time = null!;
    private InProcessSigningQueue _queue = null!;

    [OneTimeSetUp]
    public void CreatePki()
    {
        _scene = DeviceMakerScene.Create("Authority");
        (_pki, _factoryRoot, _device) = (_scene.Pki, _scene.FactoryRoot, _scene.Device);
        _profile = _scene.Profile with
        {
            Labels = ["devices"],
            ServesUnlabelled = true,
        };
    }

    [OneTimeTearDown]
    public void DisposePki() => _scene.Dispose();

    [SetUp]
    public void CreateQueue()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _queue = new InProcessSigningQueue(new InProcessSigningQueueOptions { RetryAfter = TimeSpan.FromSeconds(7) }, _time);
    }

    [Test]
    public void ResolveProfile_KnownLabel_ReturnsProfile()
    {
        Result<CertificateProfile> result = CreateAuthority().ResolveProfile("devices");

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(result.Value, Is.SameAs(_profile));
    }

    [Test]
    public void ResolveProfile_UnknownLabel_ReturnsNotFoundNamingLabel()
    {
        Result<CertificateProfile> result = CreateAuthority().ResolveProfile("printers");

        AssertError(result, EstErrorKind.NotFound, "unknown EST label 'printers'");
    }

    [Test]
    public void ResolveProfile_NoLabelWithoutUnlabelledRoute_ReturnsNotFound()
    {
        var catalog = new ProfileCatalog([_profile with { ServesUnlabelled = false }]);

        Result<CertificateProfile> result = CreateAuthority(catalog).ResolveProfile(null);

        AssertError(result, EstErrorKind.NotFound, "only under a label");
    }

    [Test]
    public void CaCertificates_Always_IsCertsOnlyOfIssuingCaAndRoot()
    {
        byte[] answer = CreateAuthority().CaCertificates();

        Assert.That(
            CertsOnlyPkcs7.Decode(answer).Select(Convert.ToHexString),
            Is.EquivalentTo(new[] { _pki.IssuingCertificate.RawData, _pki.Root.RawData }.Select(Convert.ToHexString)));
    }

    [Test]
    public void CsrAttributes_Profile_GeneratedFromItAndKeptPerProfile()
    {
        EstAuthority authority = CreateAuthority();
        CertificateProfile edited = _profile with { Keys = new KeyPolicy { AllowedCurves = new HashSet<string> { "P-384" }, AllowRsa = false, AllowEd25519 = false } };

        byte[] first = authority.CsrAttributes(_profile);
        byte[] again = authority.CsrAttributes(_profile);
        byte[] forEdited = authority.CsrAttributes(edited);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(EstServer.Core.Profiles.CsrAttributes.Encode(_profile)));
            Assert.That(again, Is.SameAs(first), "encoded once per profile instance");
            Assert.That(forEdited, Is.EqualTo(EstServer.Core.Profiles.CsrAttributes.Encode(edited)), "a reloaded profile gets its own answer");
            Assert.That(forEdited, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public async Task EnrollAsync_ValidCsrWithWorker_ReturnsCertificateForCsrKey()
    {
        EstAuthority authority = CreateAuthority();
        TestCsr csr = TestCsr.Create("CN=SN-4711, O=Device Maker", TestKeyType.EcP256, ["sn-4711.devices.example"]);
        using SigningWorker worker = CreateWorker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            SigningOutcome outcome = await authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, csr.Der), CancellationToken.None)
                .AsTask().WaitAsync(Patience);

            Assert.That(outcome, Is.InstanceOf<SigningOutcome.Issued>());
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(((SigningOutcome.Issued)outcome).CertificateDer);
            Assert.Multiple(() =>
            {
                Assert.That(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(((ECDsa)csr.Key!).ExportSubjectPublicKeyInfo()));
                Assert.That(certificate.GetNameInfo(X509NameType.DnsName, false), Is.EqualTo("sn-4711.devices.example"));
                Assert.That(_pki.Certifies(certificate, _time.GetUtcNow()), Is.True);
            });
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task EnrollAsync_TamperedCsr_RefusedBeforeQueuing()
    {
        byte[] tampered = TestCsr.Create("CN=SN-4711").WithTamperedSubject("CN=SN-9999").Der;

        SigningOutcome outcome = await CreateAuthority().EnrollAsync(Request(EnrollmentKind.Enroll, _device, tampered), CancellationToken.None);

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "proof of possession");
        Assert.That(_queue.Backlog, Is.Zero);
    }

    [Test]
    public async Task EnrollAsync_WeakKey_RefusedBeforeQueuing()
    {
        byte[] weak = TestCsr.Create("CN=SN-4711", TestKeyType.Rsa1024).Der;

        SigningOutcome outcome = await CreateAuthority().EnrollAsync(Request(EnrollmentKind.Enroll, _device, weak), CancellationToken.None);

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "RSA-1024");
        Assert.That(_queue.Backlog, Is.Zero);
    }

    [Test]
    public async Task EnrollAsync_Sha1SignedCsr_RefusedBeforeQueuing()
    {
        byte[] sha1 = TestCsr.For("CN=device-bc-rsa").Key(TestKeyType.Rsa2048).SignatureAlgorithm("SHA1withRSA").Build().Der;

        SigningOutcome outcome = await CreateAuthority().EnrollAsync(Request(EnrollmentKind.Enroll, _device, sha1), CancellationToken.None);

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "broken hash");
        Assert.That(_queue.Backlog, Is.Zero);
    }

    [Test]
    public async Task EnrollAsync_GarbageCsr_RefusedBeforeQueuing()
    {
        SigningOutcome outcome = await CreateAuthority().EnrollAsync(Request(EnrollmentKind.Enroll, _device, RandomNumberGenerator.GetBytes(100)), CancellationToken.None);

        OutcomeAssert.Refused(outcome, EstErrorKind.BadRequest, "CSR");
        Assert.That(_queue.Backlog, Is.Zero);
    }

    [Test]
    public async Task EnrollAsync_ReenrollWithNewSubject_RefusedForbiddenBeforeQueuing()
    {
        using X509Certificate2 operational = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=SN-4711, O=Device Maker");
        byte[] renamed = TestCsr.Create("CN=SN-4712, O=Device Maker").Der;

        SigningOutcome outcome = await CreateAuthority().EnrollAsync(Request(EnrollmentKind.Reenroll, operational, renamed), CancellationToken.None);

        OutcomeAssert.Refused(outcome, EstErrorKind.Forbidden, "subject");
        Assert.That(_queue.Backlog, Is.Zero);
    }

    [Test]
    public async Task EnrollAsync_SignerSlowerThanBudget_PendingThenRepeatGetsCertificate()
    {
        EstAuthority authority = CreateAuthority();
        byte[] csr = TestCsr.Create("CN=patient-device").Der;

        Task<SigningOutcome> first = authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, csr), CancellationToken.None).AsTask();
        _time.Advance(WaitBudget);
        SigningOutcome pending = await first.WaitAsync(Patience);
        using SigningWorker worker = CreateWorker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // RFC 7030 §4.2.3: after Retry-After the client sends the identical request again.
            SigningOutcome repeat = await authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, csr), CancellationToken.None)
                .AsTask().WaitAsync(Patience);
            SigningOutcome again = await authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, csr), CancellationToken.None)
                .AsTask().WaitAsync(Patience);

            Assert.Multiple(() =>
            {
                Assert.That(pending, Is.EqualTo(new SigningOutcome.Pending(TimeSpan.FromSeconds(7))));
                Assert.That(repeat, Is.InstanceOf<SigningOutcome.Issued>());
                Assert.That(((SigningOutcome.Issued)again).CertificateDer, Is.EqualTo(((SigningOutcome.Issued)repeat).CertificateDer), "one request, one certificate");
            });
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task EnrollAsync_QueueFull_RefusedUnavailable()
    {
        _queue = new InProcessSigningQueue(new InProcessSigningQueueOptions { Capacity = 1, RetryAfter = TimeSpan.FromSeconds(11) }, _time);
        EstAuthority authority = CreateAuthority();
        _ = authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, TestCsr.Create("CN=first").Der), CancellationToken.None);

        SigningOutcome second = await authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, TestCsr.Create("CN=second").Der), CancellationToken.None);

        OutcomeAssert.Refused(second, EstErrorKind.Unavailable, "queue is full");
        Assert.That(((SigningOutcome.Refused)second).Error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(11)));
    }

    [Test]
    public async Task EnrollAsync_EnrollThenReenrollWithIssuedCertificate_IssuesRenewal()
    {
        EstAuthority authority = CreateAuthority();
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        TestCsr first = TestCsr.Create("CN=SN-4711, O=Device Maker", deviceKey, TestKeyType.EcP256, ["sn-4711.example"]);
        using SigningWorker worker = CreateWorker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var enrolled = (SigningOutcome.Issued)await authority.EnrollAsync(Request(EnrollmentKind.Enroll, _device, first.Der), CancellationToken.None)
                .AsTask().WaitAsync(Patience);
            using X509Certificate2 operational = X509CertificateLoader.LoadCertificate(enrolled.CertificateDer);
            using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            TestCsr rekey = TestCsr.Create("CN=SN-4711, O=Device Maker", newKey, TestKeyType.EcP256, ["SN-4711.example"]);
            SigningOutcome renewed = await authority.EnrollAsync(Request(EnrollmentKind.Reenroll, operational, rekey.Der), CancellationToken.None)
                .AsTask().WaitAsync(Patience);

            Assert.That(renewed, Is.InstanceOf<SigningOutcome.Issued>());
            using X509Certificate2 renewal = X509CertificateLoader.LoadCertificate(((SigningOutcome.Issued)renewed).CertificateDer);
            Assert.Multiple(() =>
            {
                Assert.That(renewal.SubjectName.RawData, Is.EqualTo(operational.SubjectName.RawData));
                Assert.That(renewal.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(newKey.ExportSubjectPublicKeyInfo()));
                Assert.That(renewal.SerialNumber, Is.Not.EqualTo(operational.SerialNumber));
            });
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(Patience);
        }
    }

    [Test]
    public async Task EnrollAsync_ProcessStoppingWhileWaiting_AnswersWhatTheQueueSaysForThat()
    {
        using var stopping = new CancellationTokenSource();
        Task<SigningOutcome> waiting = CreateAuthority().EnrollAsync(Request(EnrollmentKind.Enroll, _device, TestCsr.Create("CN=stopping").Der), CancellationToken.None, stopping.Token).AsTask();

        await stopping.CancelAsync();
        SigningOutcome outcome = await waiting.WaitAsync(Patience);

        Assert.That(outcome, Is.EqualTo(_queue.OutcomeWhenStopping));
        OutcomeAssert.Refused(outcome, EstErrorKind.Unavailable, "shutting down");
    }

    private EstAuthority CreateAuthority(ProfileCatalog? catalog = null)
    {
        catalog ??= new ProfileCatalog([_profile]);
        return new(
            new FixedProfileCatalogProvider(catalog),
            _pki.Ca,
            TestPipeline.Create(catalog, _pki.Ca, signer: null, _time),
            _queue,
            new EstAuthorityOptions { WaitBudget = WaitBudget });
    }

    private SigningWorker CreateWorker() =>
        new(_queue, TestPipeline.Create(new ProfileCatalog([_profile]), _pki.Ca, _pki.Signer, _time), new SigningWorkerOptions { Concurrency = 2 }, NullLogger<SigningWorker>.Instance);

    private EnrollmentRequest Request(EnrollmentKind kind, X509Certificate2 client, byte[] csrDer) => EnrollmentRequest.WithCsr(kind, _profile, client, csrDer);

    private static void AssertError<T>(Result<T> result, EstErrorKind kind, string reasonFragment)
    {
        Assert.That(result.IsSuccess, Is.False, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Kind, Is.EqualTo(kind));
            Assert.That(result.Error.Reason, Does.Contain(reasonFragment));
        });
    }
}
