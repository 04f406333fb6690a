using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Pipeline;

/// <summary>The host's part of the pipeline: requester, then (only then) the body, decode, key checks, proof of possession, template.</summary>
public class EnrollmentPipelineCheckTests
{
    private DeviceMakerScene _scene = null!;
    private TestCaHierarchy _pki = null!;
    private X509Certificate2 _factoryRoot = null!;
    private X509Certificate2 _device = null!;
    private CertificateProfile _profile = null!;
    private FakeTimeProvider _time = null!;

    [OneTimeSetUp]
    public void CreatePki()
    {
        _scene = DeviceMakerScene.Create("Check");
        (_pki, _factoryRoot, _device) = (_scene.Pki, _scene.FactoryRoot, _scene.Device);
        _profile = _scene.Profile;
    }

    [OneTimeTearDown]
    public void DisposePki() => _scene.Dispose();

    [SetUp]
    public void CreateClock() => _time = new FakeTimeProvider(DateTimeOffset.UtcNow);

    [Test]
    public async Task CheckAsync_EnrollWithDeviceIdentity_ChecksAndNamesTheRequester()
    {
        Result<CheckedEnrollment> result = await CheckAsync(EnrollmentKind.Enroll, _device);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        Assert.Multiple(() =>
        {
            Assert.That(result.Value.Requester.Der, Is.EqualTo(_device.RawData));
            Assert.That(result.Value.Profile, Is.SameAs(_profile));
            Assert.That(result.Value.CheckedAt, Is.EqualTo(_time.GetUtcNow()));
        });
    }

    [Test]
    public async Task CheckAsync_EnrollWithOperationalCertificate_ReturnsForbidden()
    {
        // simpleenroll is for device identities; a certificate from this CA is for simplereenroll.
        using X509Certificate2 operational = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=op");

        AssertError(await CheckAsync(EnrollmentKind.Enroll, operational), EstErrorKind.Forbidden, "Device Maker CA");
    }

    [Test]
    public async Task CheckAsync_ReenrollWithDeviceIdentity_ReturnsForbidden()
    {
        AssertError(await CheckAsync(EnrollmentKind.Reenroll, _device), EstErrorKind.Forbidden, "not issued by this EST server's CA");
    }

    [Test]
    public async Task CheckAsync_ReenrollExpiredWithinProfileGrace_Checked()
    {
        DateTimeOffset now = _time.GetUtcNow();
        using X509Certificate2 expired = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=lapsed", now.AddDays(-60), now.AddDays(-3));

        Result<CheckedEnrollment> result = await CheckAsync(EnrollmentKind.Reenroll, expired, TestCsr.Create("CN=lapsed").Der);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
    }

    [Test]
    public async Task CheckAsync_NoCertificate_ReturnsUnauthorized()
    {
        AssertError(await CheckAsync(EnrollmentKind.Enroll, null), EstErrorKind.Unauthorized, "required");
    }

    [TestCase(EnrollmentKind.Enroll)]
    [TestCase(EnrollmentKind.Reenroll)]
    public async Task CheckAsync_RequesterRefused_BodyIsNeverRead(EnrollmentKind kind)
    {
        // RFC 7030 §3.3.2: an unauthenticated client learns nothing about how its body would be parsed.
        bool read = false;
        var request = new EnrollmentRequest(kind, _profile, null, null, _ =>
        {
            read = true;
            return ValueTask.FromResult<Result<byte[]>>(EstError.BadRequest("body"));
        });

        Result<CheckedEnrollment> result = await Pipeline().CheckAsync(request, CancellationToken.None);

        AssertError(result, EstErrorKind.Unauthorized, "required");
        Assert.That(read, Is.False);
    }

    [Test]
    public async Task CheckAsync_BodyUnreadable_ReturnsTheReadersError()
    {
        var request = new EnrollmentRequest(EnrollmentKind.Enroll, _profile, _device, null,
            _ => ValueTask.FromResult<Result<byte[]>>(EstError.UnsupportedMediaType("send application/pkcs10")));

        AssertError(await Pipeline().CheckAsync(request, CancellationToken.None), EstErrorKind.UnsupportedMediaType, "application/pkcs10");
    }

    [Test]
    public async Task CheckAsync_KeyOnTheBlocklist_RefusedBeforeItsSignatureIsChecked()
    {
        // A blocked key whose CSR signature is also broken: the key check answers, not proof of possession.
        TestCsr csr = TestCsr.Create("CN=SN-4711").WithTamperedSubject("CN=SN-9999");
        var blocklist = new WeakKeyCheck(new HashSet<string> { WeakKeyCheck.KeyHash(csr.Key!.ExportSubjectPublicKeyInfo()) });

        Result<CheckedEnrollment> result = await Pipeline(blocklist).CheckAsync(EnrollmentRequest.WithCsr(EnrollmentKind.Enroll, _profile, _device, csr.Der), CancellationToken.None);

        AssertError(result, EstErrorKind.BadRequest, "blocklist");
    }

    private EnrollmentPipeline Pipeline(WeakKeyCheck? weakKeys = null) =>
        TestPipeline.Create(new ProfileCatalog([_profile]), _pki.Ca, signer: null, _time, weakKeys);

    private ValueTask<Result<CheckedEnrollment>> CheckAsync(EnrollmentKind kind, X509Certificate2? client, byte[]? csrDer = null) =>
        Pipeline().CheckAsync(EnrollmentRequest.WithCsr(kind, _profile, client, csrDer ?? TestCsr.Create("CN=SN-4711, O=Device Maker").Der), CancellationToken.None);

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
