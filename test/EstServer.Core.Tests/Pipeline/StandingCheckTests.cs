using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Lifecycle;
using EstServer.Core.Pipeline;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Pipeline;

/// <summary>The requester's standing in the store: blocked identities and revoked certificates go no further.</summary>
public class StandingCheckTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private TestCaHierarchy _pki = null!;
    private TestStore _store = null!;

    [OneTimeSetUp]
    public void CreateCa() => _pki = TestCaHierarchy.Create(name: "Standing");

    [OneTimeTearDown]
    public void DisposeCa() => _pki.Dispose();

    [SetUp]
    public void CreateStore() => _store = TestStore.Sqlite();

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [Test]
    public void Check_EnrollFromBlockedIdentity_Forbidden()
    {
        using X509Certificate2 idevid = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=stolen-device");
        _store.Store.Block(Thumbprint(idevid), "stolen", RevocationReason.PrivilegeWithdrawn, Now, "test");

        EstError? refused = Check(_store.Store).Check(EnrollmentKind.Enroll, Requester.From(idevid));

        Assert.That(refused, Is.EqualTo(EstError.Forbidden("device identity is blocked")));
    }

    [Test]
    public void Check_EnrollFromOtherIdentity_Allowed()
    {
        using X509Certificate2 blocked = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=blocked");
        using X509Certificate2 other = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=other");
        _store.Store.Block(Thumbprint(blocked), "stolen", RevocationReason.PrivilegeWithdrawn, Now, "test");

        Assert.That(Check(_store.Store).Check(EnrollmentKind.Enroll, Requester.From(other)), Is.Null);
    }

    [Test]
    public void Check_ReenrollWithRevokedCertificate_ForbiddenCertificateRevoked()
    {
        using X509Certificate2 operational = Recorded("CN=revoked-one", deviceIdentity: "aa");
        _store.Store.Revoke(Serial(operational), RevocationReason.KeyCompromise, Now, "test");

        EstError? refused = Check(_store.Store).Check(EnrollmentKind.Reenroll, Requester.From(operational));

        Assert.That(refused, Is.EqualTo(EstError.Forbidden("certificate revoked")));
    }

    [Test]
    public void Check_ReenrollAfterItsDeviceWasBlocked_ForbiddenAsRevoked()
    {
        using X509Certificate2 operational = Recorded("CN=lineage", deviceIdentity: "bb");
        DeviceBlock block = _store.Store.Block("bb", "retired", RevocationReason.CessationOfOperation, Now, "test");

        EstError? refused = Check(_store.Store).Check(EnrollmentKind.Reenroll, Requester.From(operational));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.RevokedSerials, Is.EqualTo(new[] { Serial(operational) }), "blocking revoked the device's certificate");
            Assert.That(refused, Is.EqualTo(EstError.Forbidden("certificate revoked")));
        }
    }

    [Test]
    public void Check_ReenrollWithGoodRecordedCertificate_Allowed()
    {
        using X509Certificate2 operational = Recorded("CN=good-one", deviceIdentity: "cc");

        Assert.That(Check(_store.Store).Check(EnrollmentKind.Reenroll, Requester.From(operational)), Is.Null);
    }

    [Test]
    public void Check_StoreUnreachable_UnavailableWithRetryAfter()
    {
        using X509Certificate2 idevid = TestCertificates.CreateClient(_pki.IssuingCertificate, "CN=during-outage");
        var outage = new SwitchableStore(_store.Store) { Reachable = false };

        EstError? refused = Check(outage).Check(EnrollmentKind.Enroll, Requester.From(idevid));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused?.Kind, Is.EqualTo(EstErrorKind.Unavailable));
            Assert.That(refused?.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
        }
    }

    private StandingCheck Check(ICertificateStatusReader store) => new(store, _pki.Ca, TimeProvider.System, TimeSpan.FromSeconds(7));

    /// <summary>A certificate of the CA, recorded in the store as the given device's.</summary>
    private X509Certificate2 Recorded(string subject, string deviceIdentity)
    {
        X509Certificate2 certificate = TestCertificates.CreateClient(_pki.IssuingCertificate, subject);
        RecordResult result = _store.Store.Record(new CertificateRecord
        {
            Serial = Serial(certificate), IssuerKeyId = _pki.Ca.KeyIdHex, Issuer = _pki.Ca.Subject.ToString(), Subject = subject, SubjectAltNames = "",
            SpkiSha256 = Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())), RequesterSubject = subject,
            RequesterThumbprint = Thumbprint(certificate), DeviceIdentity = deviceIdentity, Profile = "devices", ProfileVersion = "v1", Kind = IssuanceKinds.Enroll,
            NotBefore = certificate.NotBefore.ToUniversalTime(), NotAfter = certificate.NotAfter.ToUniversalTime(), IssuedAt = Now, RequestId = Guid.NewGuid().ToString("N"),
            Der = certificate.RawData,
        }, claim: null);
        Assert.That(result, Is.InstanceOf<RecordResult.Recorded>());
        return certificate;
    }

    private static string Serial(X509Certificate2 certificate) =>
        SerialNumber.TryNormalize(certificate.SerialNumber, out string serial) ? serial : throw new FormatException(certificate.SerialNumber);

    private static string Thumbprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
