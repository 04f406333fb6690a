using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Revocation;

/// <summary>openssl ocsp makes the request and judges the answer: an implementation that shares no code with ours.</summary>
public class OcspOpenSslTests
{
    private TestCaHierarchy _pki = null!;
    private OcspSigningIdentity _identity = null!;
    private TempDirectory _files = null!;
    private TestStore _store = null!;

    [SetUp]
    public void Create()
    {
        _pki = TestCaHierarchy.Create(name: "Ocsp OpenSsl");
        _identity = OcspSigningIdentity.Issue(_pki.Issuer, TimeProvider.System, TimeSpan.FromDays(1));
        _files = new TempDirectory();
        _store = TestStore.Sqlite();
    }

    [TearDown]
    public void Dispose()
    {
        _store.Dispose();
        _files.Dispose();
        _identity.Dispose();
        _pki.Dispose();
    }

    [TestCase("-sha1")]
    [TestCase("-sha256")]
    public void Respond_OpenSslRequest_GoodThenRevokedWithReason(string digest)
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=openssl-ocsp", DateTimeOffset.UtcNow);
        (string root, string issuing) = _pki.WritePem(_files);
        string bundle = _files.Write("bundle.pem", File.ReadAllText(root) + File.ReadAllText(issuing));
        string leaf = _files.Write("leaf.pem", TestCertificates.Pem(issued.Der));
        string request = _files.Combine("request.der");
        OpenSsl.RunOk("ocsp", "-issuer", issuing, digest, "-cert", leaf, "-no_nonce", "-reqout", request);
        // No status cache, so the revocation shows in the very next answer.
        var responder = new OcspResponder(_store.Store, _pki.Ca, _identity, TimeProvider.System, new OcspResponderOptions { StatusCacheDuration = TimeSpan.Zero });

        string good = Check(responder, request, digest, issuing, bundle, leaf, "good.der");
        _store.Store.Revoke(issued.SerialHex, RevocationReason.KeyCompromise, DateTimeOffset.UtcNow.AddSeconds(-5), "test");
        string revoked = Check(responder, request, digest, issuing, bundle, leaf, "revoked.der");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(good, Does.Contain($"{leaf}: good"));
            Assert.That(good, Does.Contain("Response verify OK"));
            Assert.That(revoked, Does.Contain($"{leaf}: revoked"));
            Assert.That(revoked, Does.Contain("Reason: keyCompromise"));
            Assert.That(revoked, Does.Contain("Response verify OK"));
        }
    }

    [Test]
    public void Respond_OpenSslRequestWithNonce_OpenSslAcceptsTheEcho()
    {
        IssuedCertificate issued = TestLeaf.IssueRecorded(_pki.Issuer, _store.Store, "CN=openssl-nonce", DateTimeOffset.UtcNow);
        (string root, string issuing) = _pki.WritePem(_files);
        string bundle = _files.Write("bundle.pem", File.ReadAllText(root) + File.ReadAllText(issuing));
        string leaf = _files.Write("leaf.pem", TestCertificates.Pem(issued.Der));
        string request = _files.Combine("nonce.der");
        OpenSsl.RunOk("ocsp", "-issuer", issuing, "-cert", leaf, "-reqout", request);
        var responder = new OcspResponder(_store.Store, _pki.Ca, _identity, TimeProvider.System, new OcspResponderOptions());
        string response = _files.Write("nonce-response.der", responder.Respond(File.ReadAllBytes(request)));

        // Without -cert, which would build a second request with a nonce of its own: openssl compares
        // the response's nonce with the one in the request it is given.
        (int exit, string output, string error) = OpenSsl.Run("ocsp", "-reqin", request, "-respin", response, "-CAfile", bundle, "-resp_text");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, output + error);
            Assert.That(output, Does.Contain("OCSP Nonce"));
            Assert.That(output + error, Does.Contain("Response verify OK"));
            Assert.That(error, Does.Not.Contain("Nonce Verify error").And.Not.Contain("no nonce"));
        }
    }

    private string Check(OcspResponder responder, string request, string digest, string issuing, string bundle, string leaf, string name)
    {
        string response = _files.Write(name, responder.Respond(File.ReadAllBytes(request)));
        // The digest again: openssl finds the status by a CertID it computes itself.
        (int exit, string output, string error) = OpenSsl.Run("ocsp", "-respin", response, "-issuer", issuing, digest, "-cert", leaf, "-CAfile", bundle, "-no_nonce");
        Assert.That(exit, Is.Zero, output + error);
        return output + error;
    }
}
