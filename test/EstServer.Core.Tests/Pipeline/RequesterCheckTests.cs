using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Pipeline;

public class RequesterCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private X509Certificate2 _factoryRoot = null!;
    private X509Certificate2 _factoryIntermediate = null!;
    private X509Certificate2 _otherRoot = null!;
    private TrustAnchors _factoryAnchors = null!;
    private TestCaHierarchy _est = null!;
    private FakeTimeProvider _time = null!;

    [OneTimeSetUp]
    public void CreatePki()
    {
        // Fixed instants throughout: the chain engine is told "now" by the fake clock, not the wall clock.
        _factoryRoot = TestCertificates.CreateRootCa("CN=Factory Root, O=Device Maker", Now.AddYears(-5), Now.AddYears(10));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _factoryIntermediate = TestCertificates.CreateCa("CN=Factory Line 3, O=Device Maker", intermediateKey, _factoryRoot, Now.AddYears(-4), Now.AddYears(8));
        _otherRoot = TestCertificates.CreateRootCa("CN=Someone Else Root", Now.AddYears(-5), Now.AddYears(10));
        _factoryAnchors = new TrustAnchors("Device Maker IDevID CA", [_factoryRoot, _factoryIntermediate]);
        _est = TestCaHierarchy.Create(
            name: "EST", issuingNotBefore: Now.AddYears(-2), issuingNotAfter: Now.AddYears(2), rootNotBefore: Now.AddYears(-5), rootNotAfter: Now.AddYears(10));
    }

    [OneTimeTearDown]
    public void DisposePki()
    {
        _factoryRoot.Dispose();
        _factoryIntermediate.Dispose();
        _otherRoot.Dispose();
        _est.Dispose();
    }

    [SetUp]
    public void CreateClock() => _time = new FakeTimeProvider(Now);

    [Test]
    public void ValidateDeviceIdentity_NoCertificate_ReturnsUnauthorized()
    {
        Result<Requester> result = Validator().ValidateDeviceIdentity(null, _factoryAnchors);

        AssertError(result, EstErrorKind.Unauthorized, "client certificate is required");
    }

    [Test]
    public void ValidateDeviceIdentity_IssuedByAnchorRoot_ReturnsIdentity()
    {
        using X509Certificate2 device = Device(_factoryRoot, "CN=SN-0001, O=Device Maker");

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        Assert.Multiple(() =>
        {
            Assert.That(result.Value.Der, Is.EqualTo(device.RawData));
            Assert.That(result.Value.Subject, Is.EqualTo(device.Subject));
        });
    }

    [Test]
    public void ValidateDeviceIdentity_IssuedByAnchorIntermediate_ReturnsIdentity()
    {
        // TLS hands over only the leaf: the intermediate must come from the configured anchors.
        using X509Certificate2 device = Device(_factoryIntermediate, "CN=SN-0002, O=Device Maker");

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
    }

    [Test]
    public void ValidateDeviceIdentity_IssuedByOtherCa_ReturnsForbiddenNamingAnchors()
    {
        using X509Certificate2 device = Device(_otherRoot, "CN=SN-0003");

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        AssertError(result, EstErrorKind.Forbidden, "not issued by a trusted device-identity CA (Device Maker IDevID CA)");
    }

    [Test]
    public void ValidateDeviceIdentity_SelfSignedImpostorWithAnchorName_ReturnsForbidden()
    {
        // Same subject as the trusted root, different key: names alone must not establish trust.
        using X509Certificate2 impostorCa = TestCertificates.CreateRootCa("CN=Factory Root, O=Device Maker", Now.AddYears(-1), Now.AddYears(1));
        using X509Certificate2 device = Device(impostorCa, "CN=SN-0004");

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        AssertError(result, EstErrorKind.Forbidden, "not issued by a trusted");
    }

    [Test]
    public void ValidateDeviceIdentity_Expired_ReturnsForbiddenExpired()
    {
        using X509Certificate2 device = Device(_factoryRoot, "CN=SN-0005", Now.AddYears(-2), Now.AddDays(-1));

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        AssertError(result, EstErrorKind.Forbidden, "expired");
        Assert.That(result.Error!.Reason, Does.Contain(Now.AddDays(-1).ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void ValidateDeviceIdentity_ClockPastNotAfter_ReturnsForbiddenExpired()
    {
        using X509Certificate2 device = Device(_factoryRoot, "CN=SN-0006", Now.AddYears(-1), Now.AddDays(30));
        _time.Advance(TimeSpan.FromDays(31));

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        AssertError(result, EstErrorKind.Forbidden, "expired");
    }

    [Test]
    public void ValidateDeviceIdentity_NotYetValid_ReturnsForbiddenValidityPeriod()
    {
        using X509Certificate2 device = Device(_factoryRoot, "CN=SN-0007", Now.AddDays(1), Now.AddYears(1));

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        AssertError(result, EstErrorKind.Forbidden, "outside its validity period");
    }

    [Test]
    public void ValidateDeviceIdentity_AnchorExpiredButLeafCurrent_ReturnsForbiddenValidityPeriod()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 lapsedRoot = TestCertificates.CreateCa("CN=Lapsed Factory Root", key, notBefore: Now.AddYears(-10), notAfter: Now.AddDays(-1));
        using X509Certificate2 device = Device(lapsedRoot, "CN=SN-0010", Now.AddYears(-2), Now.AddYears(1));

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, new TrustAnchors("lapsed", [lapsedRoot]));

        AssertError(result, EstErrorKind.Forbidden, "outside its validity period");
    }

    [Test]
    public void ValidateDeviceIdentity_ExpiredAndFromOtherCa_ReportsUntrustedNotExpired()
    {
        using X509Certificate2 device = Device(_otherRoot, "CN=SN-0008", Now.AddYears(-2), Now.AddDays(-1));

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, _factoryAnchors);

        AssertError(result, EstErrorKind.Forbidden, "not issued by a trusted");
    }

    [Test]
    public void ValidateDeviceIdentity_EmptyAnchors_ReturnsForbidden()
    {
        using X509Certificate2 device = Device(_factoryRoot, "CN=SN-0009");

        Result<Requester> result = Validator().ValidateDeviceIdentity(device, new TrustAnchors("nothing configured", []));

        AssertError(result, EstErrorKind.Forbidden, "nothing configured");
    }

    [Test]
    public void ValidateIssuedCertificate_NoCertificate_ReturnsUnauthorized()
    {
        AssertError(Validator().ValidateIssuedCertificate(null, _est.Trust, TimeSpan.Zero), EstErrorKind.Unauthorized, "required");
    }

    [Test]
    public void ValidateIssuedCertificate_IssuedByIssuingCa_ReturnsIdentity()
    {
        using X509Certificate2 operational = Device(_est.IssuingCertificate, "CN=op-1");

        Result<Requester> result = Validator().ValidateIssuedCertificate(operational, _est.Trust, TimeSpan.Zero);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        Assert.That(result.Value.Der, Is.EqualTo(operational.RawData));
    }

    [Test]
    public void ValidateIssuedCertificate_IssuedByOtherCa_ReturnsForbidden()
    {
        using X509Certificate2 device = Device(_factoryRoot, "CN=op-2");

        AssertError(Validator().ValidateIssuedCertificate(device, _est.Trust, TimeSpan.Zero), EstErrorKind.Forbidden, "not issued by this EST server's CA");
    }

    [Test]
    public void ValidateIssuedCertificate_IssuedDirectlyByRoot_ReturnsForbidden()
    {
        // Trusted root, but not the issuing CA: certificates this server did not issue may not re-enroll.
        using X509Certificate2 device = Device(_est.Root, "CN=op-3");

        AssertError(Validator().ValidateIssuedCertificate(device, _est.Trust, TimeSpan.Zero), EstErrorKind.Forbidden, "not issued by this EST server's CA");
    }

    [Test]
    public void ValidateIssuedCertificate_IssuingCaCertificateItself_ReturnsForbidden()
    {
        AssertError(Validator().ValidateIssuedCertificate(_est.IssuingCertificate, _est.Trust, TimeSpan.Zero), EstErrorKind.Forbidden, "not issued by");
    }

    [Test]
    public void ValidateIssuedCertificate_ExpiredWithoutGrace_ReturnsForbiddenExpired()
    {
        using X509Certificate2 operational = Device(_est.IssuingCertificate, "CN=op-4", Now.AddYears(-1), Now.AddHours(-1));

        Result<Requester> result = Validator().ValidateIssuedCertificate(operational, _est.Trust, TimeSpan.Zero);

        AssertError(result, EstErrorKind.Forbidden, "expired");
    }

    [Test]
    public void ValidateIssuedCertificate_ExpiredBeyondGrace_ReturnsForbiddenNamingGrace()
    {
        using X509Certificate2 operational = Device(_est.IssuingCertificate, "CN=op-5", Now.AddYears(-1), Now.AddDays(-8));

        Result<Requester> result = Validator().ValidateIssuedCertificate(operational, _est.Trust, TimeSpan.FromDays(7));

        AssertError(result, EstErrorKind.Forbidden, "beyond the re-enrollment grace period");
    }

    [Test]
    public void ValidateIssuedCertificate_ExpiredWithinGrace_ReturnsIdentity()
    {
        using X509Certificate2 operational = Device(_est.IssuingCertificate, "CN=op-6", Now.AddYears(-1), Now.AddDays(-6));

        Result<Requester> result = Validator().ValidateIssuedCertificate(operational, _est.Trust, TimeSpan.FromDays(7));

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
    }

    [Test]
    public void ValidateIssuedCertificate_ExpiredExactlyAtGraceEnd_ReturnsIdentity()
    {
        using X509Certificate2 operational = Device(_est.IssuingCertificate, "CN=op-7", Now.AddYears(-1), Now.AddDays(-7));

        Result<Requester> result = Validator().ValidateIssuedCertificate(operational, _est.Trust, TimeSpan.FromDays(7));

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
    }

    [Test]
    public void ValidateIssuedCertificate_NotYetValid_ReturnsForbidden()
    {
        using X509Certificate2 operational = Device(_est.IssuingCertificate, "CN=op-8", Now.AddHours(1), Now.AddYears(1));

        AssertError(Validator().ValidateIssuedCertificate(operational, _est.Trust, TimeSpan.FromDays(7)), EstErrorKind.Forbidden, "not yet valid");
    }

    [Test]
    public void ValidateIssuedCertificate_SingleSelfSignedIssuingCa_AcceptsItsCertificates()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 root = TestCertificates.CreateCa("CN=Flat EST CA", key, notBefore: Now.AddYears(-1), notAfter: Now.AddYears(1));
        var trust = new IssuedCertificateTrust([root.RawData]);
        using X509Certificate2 operational = Device(root, "CN=op-9");

        Result<Requester> result = Validator().ValidateIssuedCertificate(operational, trust, TimeSpan.Zero);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
    }

    private RequesterCheck Validator() => new(_time, _est.Trust, new StandingCheck(TestStore.Shared.Store, _est.Ca, _time, TimeSpan.FromSeconds(5)));

    private static X509Certificate2 Device(X509Certificate2 issuer, string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        TestCertificates.CreateClient(issuer, subject, notBefore ?? Now.AddDays(-30), notAfter ?? Now.AddDays(335));

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
