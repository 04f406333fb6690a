using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;

namespace EstServer.Core.Tests.Csr;

public class SubjectKeyTests
{
    [TestCase(TestKeyType.EcP256, KeyAlgorithm.Ec, 256, "P-256", "EC P-256")]
    [TestCase(TestKeyType.EcP384, KeyAlgorithm.Ec, 384, "P-384", "EC P-384")]
    [TestCase(TestKeyType.EcP521, KeyAlgorithm.Ec, 521, "P-521", "EC P-521")]
    [TestCase(TestKeyType.Rsa1024, KeyAlgorithm.Rsa, 1024, null, "RSA-1024")]
    [TestCase(TestKeyType.Rsa2048, KeyAlgorithm.Rsa, 2048, null, "RSA-2048")]
    [TestCase(TestKeyType.Ed25519, KeyAlgorithm.Ed25519, 256, null, "Ed25519")]
    public void Describe_CsrKey_ReportsAlgorithmSizeAndCurve(TestKeyType keyType, KeyAlgorithm algorithm, int sizeBits, string? curve, string text)
    {
        Result<CertificationRequest> csr = CsrDecoder.Decode(TestCsr.Create("CN=key", keyType).Der);
        Assert.That(csr.IsSuccess, Is.True, csr.Error?.Reason);

        SubjectKey key = SubjectKey.Describe(csr.Value.PublicKeyInfo);

        Assert.Multiple(() =>
        {
            Assert.That(key, Is.EqualTo(new SubjectKey(algorithm, sizeBits, curve)));
            Assert.That(key.ToString(), Is.EqualTo(text));
        });
    }

    [Test]
    public void Describe_RsaModulusOf9000Bits_Reports9000()
    {
        // Only the modulus length matters here, so an odd 9000-bit number stands in for a key nobody needs to generate.
        BigInteger modulus = BigInteger.One.ShiftLeft(8999).Add(BigInteger.One);
        var info = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
            new RsaPublicKeyStructure(modulus, BigInteger.ValueOf(65537)));

        SubjectKey key = SubjectKey.Describe(info);

        Assert.That(key, Is.EqualTo(new SubjectKey(KeyAlgorithm.Rsa, 9000, null)));
    }

    [Test]
    public void Describe_UnlistedNamedCurve_ReportsItsOid()
    {
        var info = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, SecObjectIdentifiers.SecP256k1), new byte[65]);

        SubjectKey key = SubjectKey.Describe(info);

        Assert.Multiple(() =>
        {
            Assert.That(key, Is.EqualTo(new SubjectKey(KeyAlgorithm.Ec, 0, "1.3.132.0.10")));
            Assert.That(key.ToString(), Is.EqualTo("EC 1.3.132.0.10"));
        });
    }

    [Test]
    public void Describe_ExplicitCurveParameters_ReportsExplicitParameters()
    {
        X9ECParameters p256 = SecNamedCurves.GetByName("secp256r1");
        var info = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, new X962Parameters(p256).ToAsn1Object()),
            new byte[65]);

        SubjectKey key = SubjectKey.Describe(info);

        Assert.That(key, Is.EqualTo(new SubjectKey(KeyAlgorithm.Ec, 0, "explicit parameters")));
    }

    [Test]
    public void Describe_Ed448_ReportsOtherWithOid()
    {
        var info = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed448), new byte[57]);

        SubjectKey key = SubjectKey.Describe(info);

        Assert.Multiple(() =>
        {
            Assert.That(key, Is.EqualTo(new SubjectKey(KeyAlgorithm.Other, 0, "1.3.101.113")));
            Assert.That(key.ToString(), Is.EqualTo("key algorithm 1.3.101.113"));
        });
    }

    [TestCase("P-256", "1.2.840.10045.3.1.7")]
    [TestCase("P-384", "1.3.132.0.34")]
    [TestCase("P-521", "1.3.132.0.35")]
    public void CurveOid_KnownName_ReturnsOid(string curve, string oid)
    {
        Assert.That(SubjectKey.CurveOid(curve)?.Id, Is.EqualTo(oid));
    }

    [TestCase("p-256")]
    [TestCase("secp256k1")]
    [TestCase("")]
    public void CurveOid_UnknownName_ReturnsNull(string curve)
    {
        Assert.That(SubjectKey.CurveOid(curve), Is.Null);
    }
}
