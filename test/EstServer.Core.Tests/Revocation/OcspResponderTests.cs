using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Ocsp;

namespace EstServer.Core.Tests.Revocation;

/// <summary>The responder against the real SQLite store, answers read back with BouncyCastle.</summary>
public class OcspResponderTests
{
    private TestCaHierarchy _pki = null!;
    private TestCaHierarchy _other = null!;
    private OcspSigningIdentity _identity = null!;
    private FakeTimeProvider _time = null!;
    private TestStore _store = null!;
    private SwitchableStore _switchable = null!;
    private OcspResponder _responder = null!;

    [OneTimeSetUp]
    public void CreateCas()
    {
        _pki = TestCaHierarchy.Create(name: "Ocsp");
        _other = TestCaHierarchy.Create(name: "Other");
        _identity = OcspSigningIdentity.Issue(_pki.Issuer, TimeProvider.System, TimeSpan.FromDays(30));
    }

    [OneTimeTearDown]
    public void DisposeCas()
    {
        _identity.Dispose();
        _other.Dispose();
        _pki.Dispose();
    }

    [SetUp]
    public void CreateStore()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _store = TestStore.Sqlite(_time);
        _switchable = new SwitchableStore(_store.Store);
        _responder = new OcspResponder(_switchable, _pki.Ca, _identity, _time, new OcspResponderOptions());
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 0x30, 0x03, 0x02, 0x01 })]
    [TestCase(new byte[] { 0x04, 0x02, 0x41, 0x42 })]
    [TestCase(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff })]
    public void Respond_Garbage_MalformedRequest(byte[] garbage)
    {
        Assert.That(TestOcspRequest.Status(_responder.Respond(garbage)), Is.EqualTo(OcspRespStatus.MalformedRequest));
    }

    [Test]
    public void Respond_EmptyRequestList_MalformedRequest()
    {
        byte[] empty = new OcspRequest(new TbsRequest(null, new DerSequence(), (Org.BouncyCastle.Asn1.X509.X509Extensions?)null), null).GetEncoded();

        Assert.That(TestOcspRequest.Status(_responder.Respond(empty)), Is.EqualTo(OcspRespStatus.MalformedRequest));
    }

    [Test]
    public void Respond_CertIdOfAnotherCa_Unauthorized()
    {
        byte[] request = TestOcspRequest.Create(_other.Ca, "1234");

        Assert.That(TestOcspRequest.Status(_responder.Respond(request)), Is.EqualTo(OcspRespStatus.Unauthorized));
    }

    [Test]
    public void Respond_StoreUnavailable_TryLater()
    {
        _switchable.Reachable = false;

        Assert.That(TestOcspRequest.Status(_responder.Respond(TestOcspRequest.Create(_pki.Ca, "1234"))), Is.EqualTo(OcspRespStatus.TryLater));
    }

    [Test]
    public void Respond_SerialNeverRecorded_Unknown()
    {
        SingleResp single = Single(_responder.Respond(TestOcspRequest.Create(_pki.Ca, "deadbeef")));

        Assert.That(single.GetCertStatus(), Is.InstanceOf<UnknownStatus>());
    }

    [Test]
    public void Respond_GoodCertificate_GoodSignedByTheResponderWithItsCertificate()
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=good", _time.GetUtcNow());

        BasicOcspResp basic = TestOcspRequest.Basic(_responder.Respond(TestOcspRequest.Create(_pki.Ca, issued.SerialHex)));

        SingleResp single = basic.Responses.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(single.GetCertStatus(), Is.Null, "null is BouncyCastle's good");
            Assert.That(single.GetCertID().SerialNumber.ToString(16), Is.EqualTo(issued.SerialHex));
            Assert.That(basic.Verify(_identity.Certificate.GetPublicKey()), Is.True);
            Assert.That(basic.GetCerts().Select(c => c.GetEncoded()), Is.EqualTo(new[] { _identity.CertificateDer }));
            Assert.That(basic.ResponderId.ToAsn1Object().GetKeyHash(), Is.Not.Null, "responderID byKey");
            Assert.That(single.NextUpdate - single.ThisUpdate, Is.EqualTo(TimeSpan.FromHours(1)));
        }
    }

    [Test]
    public void Respond_RevokedCertificate_RevokedWithTimeAndReason()
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=revoked", _time.GetUtcNow());
        DateTimeOffset at = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds() - 60);
        _store.Store.Revoke(issued.SerialHex, RevocationReason.CessationOfOperation, at, "test");

        var status = Single(_responder.Respond(TestOcspRequest.Create(_pki.Ca, issued.SerialHex))).GetCertStatus() as RevokedStatus;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.Not.Null);
            Assert.That(status!.RevocationTime, Is.EqualTo(at.UtcDateTime));
            Assert.That(status.RevocationReason, Is.EqualTo((int)RevocationReason.CessationOfOperation));
        }
    }

    [Test]
    public void Respond_RevokedWhileCached_ShowsOnceTheCacheDurationPasses()
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=cached", _time.GetUtcNow());
        byte[] request = TestOcspRequest.Create(_pki.Ca, issued.SerialHex);
        Assert.That(Single(_responder.Respond(request)).GetCertStatus(), Is.Null);
        _store.Store.Revoke(issued.SerialHex, RevocationReason.KeyCompromise, _time.GetUtcNow(), "test");

        _time.Advance(TimeSpan.FromSeconds(1.1));

        Assert.That(Single(_responder.Respond(request)).GetCertStatus(), Is.InstanceOf<RevokedStatus>());
    }

    [Test]
    public void Respond_StoreDownButStatusCached_StillAnswers()
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=cached-outage", _time.GetUtcNow());
        byte[] request = TestOcspRequest.Create(_pki.Ca, issued.SerialHex);
        _responder.Respond(request);
        _switchable.Reachable = false;

        Assert.That(TestOcspRequest.Status(_responder.Respond(request)), Is.EqualTo(OcspRespStatus.Successful));
    }

    [Test]
    public void Respond_Sha256CertId_AnsweredWithTheSameCertId()
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=sha256", _time.GetUtcNow());

        SingleResp single = Single(_responder.Respond(TestOcspRequest.Create(_pki.Ca, issued.SerialHex, TestOcspRequest.Sha256)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(single.GetCertID().HashAlgOid, Is.EqualTo(TestOcspRequest.Sha256.Algorithm.Id));
            Assert.That(single.GetCertStatus(), Is.Null);
        }
    }

    [Test]
    public void Respond_Nonce_EchoedUnchanged()
    {
        byte[] nonce = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

        BasicOcspResp basic = TestOcspRequest.Basic(_responder.Respond(TestOcspRequest.Create(_pki.Ca, "1234", nonce: nonce)));

        var echoed = Asn1OctetString.GetInstance(basic.ResponseExtensions.GetExtension(OcspObjectIdentifiers.PkixOcspNonce).GetParsedValue());
        Assert.That(echoed.GetOctets(), Is.EqualTo(nonce));
    }

    [Test]
    public void Respond_NoNonce_NoResponseExtensions()
    {
        BasicOcspResp basic = TestOcspRequest.Basic(_responder.Respond(TestOcspRequest.Create(_pki.Ca, "1234")));

        Assert.That(basic.ResponseExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce), Is.Null);
    }

    [Test]
    public void Respond_TwoSerials_OneSingleResponseEach()
    {
        IssuedCertificate good = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=pair", _time.GetUtcNow());

        BasicOcspResp basic = TestOcspRequest.Basic(_responder.Respond(TestOcspRequest.Create(_pki.Ca.ChainDer[0], [good.SerialHex, "abcdef"])));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(basic.Responses, Has.Length.EqualTo(2));
            Assert.That(basic.Responses[0].GetCertStatus(), Is.Null);
            Assert.That(basic.Responses[1].GetCertStatus(), Is.InstanceOf<UnknownStatus>());
        }
    }

    private static SingleResp Single(byte[] response) => TestOcspRequest.Basic(response).Responses.Single();
}
