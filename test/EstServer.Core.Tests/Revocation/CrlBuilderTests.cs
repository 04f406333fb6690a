using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Revocation;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Tests.Revocation;

public class CrlBuilderTests
{
    private TestCaHierarchy _pki = null!;
    private TempDirectory _files = null!;
    private DateTimeOffset _now;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _pki = TestCaHierarchy.Create(name: "Crl");
        _files = new TempDirectory();
        _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _files.Dispose();
        _pki.Dispose();
    }

    [Test]
    public void Build_RevokedEntry_OpenSslListsSerialReasonAndNumber()
    {
        byte[] der = new CrlBuilder(_pki.Ca, _pki.Signer).Build(
            42, [new RevokedEntry("1a2b3c", _now.AddMinutes(-1), RevocationReason.KeyCompromise)], _now, _now.AddHours(24));
        string path = _files.Write("listed.crl", der);

        string text = OpenSsl.RunOk("crl", "-inform", "DER", "-in", path, "-noout", "-text");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("Serial Number: 1A2B3C"));
            Assert.That(text, Does.Contain("Key Compromise"));
            Assert.That(text, Does.Match(@"X509v3 CRL Number:\s+42"));
            Assert.That(text, Does.Contain("Version 2"));
            Assert.That(text, Does.Contain("X509v3 Authority Key Identifier"));
        }
    }

    [Test]
    public void Build_UnspecifiedReason_EntryHasNoReasonCode()
    {
        byte[] der = new CrlBuilder(_pki.Ca, _pki.Signer).Build(
            1, [new RevokedEntry("ab", _now, RevocationReason.Unspecified), new RevokedEntry("cd", _now, RevocationReason.Superseded)], _now, _now.AddHours(1));

        var crl = new X509Crl(der);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(crl.GetRevokedCertificate(new BigInteger("ab", 16))!.GetExtensionValue(X509Extensions.ReasonCode), Is.Null);
            Assert.That(crl.GetRevokedCertificate(new BigInteger("cd", 16))!.GetExtensionValue(X509Extensions.ReasonCode), Is.Not.Null);
        }
    }

    [Test]
    public void Build_Crl_SignedByTheCaWithItsKeyIdentifierAndDates()
    {
        byte[] der = new CrlBuilder(_pki.Ca, _pki.Signer).Build(7, [], _now, _now.AddHours(24));

        var crl = new X509Crl(der);
        var aki = AuthorityKeyIdentifier.GetInstance(crl.GetExtensionParsedValue(X509Extensions.AuthorityKeyIdentifier));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => crl.Verify(_pki.Ca.Certificate.GetPublicKey()), Throws.Nothing);
            Assert.That(Convert.ToHexStringLower(aki.KeyIdentifier.GetOctets()), Is.EqualTo(_pki.Ca.KeyIdHex));
            Assert.That(DerInteger.GetInstance(crl.GetExtensionParsedValue(X509Extensions.CrlNumber)).Value.LongValue, Is.EqualTo(7));
            Assert.That(crl.IssuerDN.Equivalent(_pki.Ca.Subject, true), Is.True);
            Assert.That(crl.ThisUpdate, Is.EqualTo(_now.UtcDateTime));
            Assert.That(crl.NextUpdate, Is.EqualTo(_now.AddHours(24).UtcDateTime));
            Assert.That(crl.GetRevokedCertificates(), Is.Null.Or.Empty);
        }
    }

    [Test]
    public void Build_NextUpdateNotAfterThisUpdate_Throws()
    {
        Assert.That(() => new CrlBuilder(_pki.Ca, _pki.Signer).Build(1, [], _now, _now), Throws.ArgumentException);
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.Rsa2048)]
    public void Build_OpenSslVerifyWithCrlCheck_RefusesTheRevokedAndPassesTheGood(TestKeyType keyType)
    {
        using TestCaHierarchy pki = TestCaHierarchy.Create(keyType, "Crl " + keyType);
        IssuedCertificate revoked = TestLeaf.Issue(pki.Issuer, "CN=revoked", _now);
        IssuedCertificate good = TestLeaf.Issue(pki.Issuer, "CN=good", _now);
        byte[] crl = new CrlBuilder(pki.Ca, pki.Signer).Build(
            1, [new RevokedEntry(revoked.SerialHex, _now.AddSeconds(-30), RevocationReason.KeyCompromise)], _now.AddMinutes(-1), _now.AddHours(1));
        string bundle = _files.Write($"bundle-{keyType}.pem", TestCertificates.Pem(pki.Root) + TestCertificates.Pem(pki.IssuingCertificate));
        string crlPem = _files.Write($"crl-{keyType}.pem", PemText("X509 CRL", crl));
        string revokedPath = _files.Write($"revoked-{keyType}.pem", TestCertificates.Pem(revoked.Der));
        string goodPath = _files.Write($"good-{keyType}.pem", TestCertificates.Pem(good.Der));

        (int revokedExit, string revokedOut, string revokedError) = OpenSsl.Run("verify", "-crl_check", "-CAfile", bundle, "-CRLfile", crlPem, revokedPath);
        (int goodExit, string goodOut, string goodError) = OpenSsl.Run("verify", "-crl_check", "-CAfile", bundle, "-CRLfile", crlPem, goodPath);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revokedExit, Is.Not.Zero);
            Assert.That(revokedOut + revokedError, Does.Contain("certificate revoked"));
            Assert.That(goodExit, Is.Zero, goodOut + goodError);
        }
    }

    private static string PemText(string label, byte[] der) => System.Security.Cryptography.PemEncoding.WriteString(label, der) + "\n";
}
