using System.Security.Cryptography;
using EstServer.Core.Issuance;
using Org.BouncyCastle.Asn1;

namespace EstServer.Core.Tests.Issuance;

public class RsaCertificateSignerTests
{
    private static readonly byte[] Data = "to be signed"u8.ToArray();

    [Test]
    public void SignatureAlgorithm_AnyRsaKey_IsSha256WithRsaWithNullParameters()
    {
        using var signer = new RsaCertificateSigner(RSA.Create(2048));

        Assert.Multiple(() =>
        {
            Assert.That(signer.SignatureAlgorithm.Algorithm.Id, Is.EqualTo("1.2.840.113549.1.1.11"));
            Assert.That(signer.SignatureAlgorithm.Parameters, Is.InstanceOf<DerNull>(), "RFC 4055 §5: explicit NULL");
        });
    }

    [Test]
    public void Sign_Data_VerifiesIndependentlyAsPkcs1Sha256()
    {
        using var key = RSA.Create(2048);
        using var publicKey = RSA.Create(key.ExportParameters(includePrivateParameters: false));
        using var signer = new RsaCertificateSigner(RSA.Create(key.ExportParameters(includePrivateParameters: true)));

        byte[] signature = signer.Sign(Data);

        Assert.Multiple(() =>
        {
            Assert.That(publicKey.VerifyData(Data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True);
            Assert.That(signer.Verify(Data, signature), Is.True);
            Assert.That(signer.Verify("other data"u8, signature), Is.False);
        });
    }
}
