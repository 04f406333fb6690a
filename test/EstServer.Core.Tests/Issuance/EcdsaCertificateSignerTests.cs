using System.Security.Cryptography;
using EstServer.Core.Issuance;

namespace EstServer.Core.Tests.Issuance;

public class EcdsaCertificateSignerTests
{
    private static readonly byte[] Data = "to be signed"u8.ToArray();

    [TestCase("nistP256", "1.2.840.10045.4.3.2", "SHA256")]
    [TestCase("nistP384", "1.2.840.10045.4.3.3", "SHA384")]
    [TestCase("nistP521", "1.2.840.10045.4.3.4", "SHA512")]
    public void Sign_CurveOfKey_UsesMatchingHashAndVerifiesIndependently(string curve, string algorithmOid, string hash)
    {
        using var key = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var publicKey = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        using var signer = new EcdsaCertificateSigner(ECDsa.Create(key.ExportParameters(includePrivateParameters: true)));

        byte[] signature = signer.Sign(Data);

        Assert.Multiple(() =>
        {
            Assert.That(signer.SignatureAlgorithm.Algorithm.Id, Is.EqualTo(algorithmOid));
            Assert.That(signer.SignatureAlgorithm.Parameters, Is.Null, "RFC 5758 §3.2: parameters absent");
            Assert.That(publicKey.VerifyData(Data, signature, new HashAlgorithmName(hash), DSASignatureFormat.Rfc3279DerSequence), Is.True);
            Assert.That(signer.Verify(Data, signature), Is.True);
        });
    }

    [Test]
    public void Verify_AlteredData_ReturnsFalse()
    {
        using var signer = new EcdsaCertificateSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        byte[] signature = signer.Sign(Data);

        Assert.That(signer.Verify("to be signeD"u8, signature), Is.False);
    }

    [Test]
    public void Verify_SignatureFromOtherKey_ReturnsFalse()
    {
        using var signer = new EcdsaCertificateSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var other = new EcdsaCertificateSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        Assert.That(signer.Verify(Data, other.Sign(Data)), Is.False);
    }
}
