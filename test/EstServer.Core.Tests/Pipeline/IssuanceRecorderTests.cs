using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Core.Tests.Pipeline;

/// <summary>The record phase through the signer's pipeline: nothing reaches a client that the store does not hold.</summary>
public class IssuanceRecorderTests
{
    private const string DeviceSubject = "CN=factory-device, O=EstServer Tests";

    private TestCaHierarchy _pki = null!;
    private X509Certificate2 _idevid = null!;
    private CertificateProfile _profile = null!;
    private FakeTimeProvider _time = null!;
    private TestStore _store = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _pki = TestCaHierarchy.Create(name: "Recorder");
        _idevid = TestCertificates.CreateClient(_pki.IssuingCertificate, DeviceSubject);
        _profile = ModelProfiles.Device("devices", new TrustAnchors("none", []));
    }

    [OneTimeTearDown]
    public void DisposeCa()
    {
        _idevid.Dispose();
        _pki.Dispose();
    }

    [SetUp]
    public void CreateStore()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _store = TestStore.Sqlite(_time);
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [Test]
    public void Sign_Enrollment_RecordsCertificateUnderTheIdevidAsDeviceIdentity()
    {
        TestCsr csr = TestCsr.Create("CN=recorded", TestKeyType.EcP256, ["recorded.example"]);
        SigningRequest job = Job(EnrollmentKind.Enroll, _idevid, csr.Der);

        IssuedCertificate issued = Sign(job);

        CertificateRecord record = _store.Store.Get(issued.SerialHex) ?? throw new AssertionException("not recorded");
        string idevid = Convert.ToHexStringLower(SHA256.HashData(_idevid.RawData));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Der, Is.EqualTo(issued.Der));
            Assert.That(record.DeviceIdentity, Is.EqualTo(idevid));
            Assert.That(record.RequesterThumbprint, Is.EqualTo(idevid));
            Assert.That(record.Kind, Is.EqualTo(IssuanceKinds.Enroll));
            Assert.That(record.RenewsSerial, Is.Null);
            Assert.That(record.RequestId, Is.EqualTo(job.Id));
            Assert.That(record.Profile, Is.EqualTo(_profile.Name));
            Assert.That(record.IssuerKeyId, Is.EqualTo(_pki.Ca.KeyIdHex));
            Assert.That(record.SubjectAltNames, Is.EqualTo("dns:recorded.example"));
            Assert.That(record.SpkiSha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(((ECDsa)csr.Key!).ExportSubjectPublicKeyInfo()))));
            Assert.That(record.Status, Is.EqualTo(CertificateStatus.Good));
        }
    }

    [Test]
    public void Sign_Renewal_CarriesTheDeviceIdentityAndNamesTheRenewedSerial()
    {
        IssuedCertificate first = Sign(Job(EnrollmentKind.Enroll, _idevid, TestCsr.Create("CN=renewing").Der));
        using X509Certificate2 operational = Operational(first);

        IssuedCertificate renewed = Sign(Job(EnrollmentKind.Reenroll, operational, TestCsr.Create("CN=renewing").Der));

        CertificateRecord record = _store.Store.Get(renewed.SerialHex)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Kind, Is.EqualTo(IssuanceKinds.Reenroll));
            Assert.That(record.RenewsSerial, Is.EqualTo(first.SerialHex));
            Assert.That(record.DeviceIdentity, Is.EqualTo(_store.Store.Get(first.SerialHex)!.DeviceIdentity), "one device, one identity through renewals");
            Assert.That(record.RequesterThumbprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(operational.RawData))));
        }
    }

    [Test]
    public void Sign_RedeliveredJob_AnswersTheRecordedCertificateAndSignsNoSecond()
    {
        SigningRequest job = Job(EnrollmentKind.Enroll, _idevid, TestCsr.Create("CN=redelivered").Der);

        IssuedCertificate first = Sign(job);
        IssuedCertificate again = Sign(job with { Checked = null });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.Der, Is.EqualTo(first.Der));
            Assert.That(_store.Store.Search(new CertificateQuery { SubjectContains = "redelivered" }, _time.GetUtcNow()), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void Sign_RenewedCertificateRevokedWhileQueued_RefusedAndNothingRecorded()
    {
        IssuedCertificate first = Sign(Job(EnrollmentKind.Enroll, _idevid, TestCsr.Create("CN=revoked-in-queue").Der));
        using X509Certificate2 operational = Operational(first);
        _store.Store.Revoke(first.SerialHex, RevocationReason.KeyCompromise, _time.GetUtcNow(), "test");

        Result<IssuedCertificate> outcome = Pipeline().Sign(Job(EnrollmentKind.Reenroll, operational, TestCsr.Create("CN=revoked-in-queue").Der));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Error?.Kind, Is.EqualTo(EstErrorKind.Forbidden));
            Assert.That(outcome.Error?.Reason, Is.EqualTo("certificate revoked"));
            Assert.That(_store.Store.Search(new CertificateQuery { SubjectContains = "revoked-in-queue" }, _time.GetUtcNow()), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void Sign_DeviceBlockedWhileQueued_RefusedAndNothingRecorded()
    {
        _store.Store.Block(Convert.ToHexStringLower(SHA256.HashData(_idevid.RawData)), "stolen", RevocationReason.PrivilegeWithdrawn, _time.GetUtcNow(), "test");

        Result<IssuedCertificate> outcome = Pipeline().Sign(Job(EnrollmentKind.Enroll, _idevid, TestCsr.Create("CN=blocked-in-queue").Der));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Error?.Reason, Is.EqualTo("device identity is blocked"));
            Assert.That(_store.Store.Search(new CertificateQuery { SubjectContains = "blocked-in-queue" }, _time.GetUtcNow()), Is.Empty);
        }
    }

    [Test]
    public void Sign_StoreUnreachable_DefersTheJobInsteadOfAnsweringIt()
    {
        var outage = new SwitchableStore(_store.Store) { Reachable = false };
        EnrollmentPipeline pipeline = TestPipeline.Create(ModelProfiles.Catalog(_profile, ["devices"]), _pki.Ca, _pki.Signer, _time, store: outage);

        Assert.Throws<SigningDeferredException>(() => pipeline.Sign(Job(EnrollmentKind.Enroll, _idevid, TestCsr.Create("CN=outage").Der)));
    }

    [Test]
    public void Sign_StoreFailsOnTheRecordItself_DefersAndLeavesNoRecord()
    {
        // The pre-check and the lineage read succeed; the write is what fails: the signed certificate is dropped.
        var outage = new SwitchableStore(_store.Store);
        EnrollmentPipeline pipeline = TestPipeline.Create(ModelProfiles.Catalog(_profile, ["devices"]), _pki.Ca, new FailingOnRecord(_pki.Signer, outage), _time, store: outage);

        Assert.Throws<SigningDeferredException>(() => pipeline.Sign(Job(EnrollmentKind.Enroll, _idevid, TestCsr.Create("CN=lost-write").Der)));
        Assert.That(_store.Store.Search(new CertificateQuery { SubjectContains = "lost-write" }, _time.GetUtcNow()), Is.Empty);
    }

    private EnrollmentPipeline Pipeline() =>
        TestPipeline.Create(ModelProfiles.Catalog(_profile, ["devices"]), _pki.Ca, _pki.Signer, _time, store: _store.Store);

    private IssuedCertificate Sign(SigningRequest job)
    {
        Result<IssuedCertificate> outcome = Pipeline().Sign(job);
        Assert.That(outcome.IsSuccess, Is.True, outcome.Error?.Reason);
        return outcome.Value;
    }

    private SigningRequest Job(EnrollmentKind kind, X509Certificate2 client, byte[] csrDer) =>
        new(SigningRequestId.Derive(kind, _profile.Name, client.RawData, csrDer), _profile.Name, _profile.Version, kind, csrDer, client.RawData, _time.GetUtcNow());

    private static X509Certificate2 Operational(IssuedCertificate issued) => X509CertificateLoader.LoadCertificate(issued.Der);

    /// <summary>The CA key, which takes the store down the moment it has signed: the outage hits the record write.</summary>
    private sealed class FailingOnRecord(ICertificateSigner inner, SwitchableStore store) : ICertificateSigner
    {
        public Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier SignatureAlgorithm => inner.SignatureAlgorithm;

        public byte[] Sign(ReadOnlySpan<byte> data)
        {
            byte[] signature = inner.Sign(data);
            store.Reachable = false;
            return signature;
        }

        public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => inner.Verify(data, signature);
    }
}
