using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// PKCS#10 requests for RSA public keys given by their numbers, so a test can ask for keys no key
/// generator makes (exponent 1, a modulus with a small factor, nearly equal primes). The signature is
/// sha256WithRSAEncryption computed by hand: EMSA-PKCS1-v1_5 (RFC 8017 §9.2) raised to the private exponent.
/// </summary>
internal static class RsaCsr
{
    /// <param name="privateExponent">
    /// d with e·d ≡ 1 mod λ(n), for a valid signature; null signs with the encoded message itself, which
    /// verifies only for e = 1 and is garbage otherwise.
    /// </param>
    public static byte[] Create(string subject, BigInteger modulus, BigInteger exponent, BigInteger? privateExponent)
    {
        var publicKey = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
            new RsaPublicKeyStructure(modulus, exponent));
        var info = new CertificationRequestInfo(new X509Name(subject), publicKey, new DerSet());
        byte[] digestInfo = new DigestInfo(
            new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance),
            SHA256.HashData(info.GetDerEncoded())).GetDerEncoded();

        int length = (modulus.BitLength + 7) / 8;
        byte[] encoded = new byte[length];
        encoded[1] = 0x01;
        encoded.AsSpan(2, length - digestInfo.Length - 3).Fill(0xFF);
        digestInfo.CopyTo(encoded, length - digestInfo.Length);
        var message = new BigInteger(1, encoded);
        BigInteger signature = privateExponent is null ? message : message.ModPow(privateExponent, modulus);

        byte[] signatureBytes = new byte[length];
        byte[] raw = signature.ToByteArrayUnsigned();
        raw.CopyTo(signatureBytes, length - raw.Length);
        var request = new CertificationRequest(
            info, new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance), new DerBitString(signatureBytes));
        return request.GetDerEncoded();
    }

    /// <summary>A fresh 2048-bit key pair from the platform, as numbers: the primes and the public exponent.</summary>
    public static (BigInteger P, BigInteger Q, BigInteger E) PlatformKey()
    {
        using RSA rsa = RSA.Create(2048);
        RSAParameters parameters = rsa.ExportParameters(includePrivateParameters: true);
        return (new BigInteger(1, parameters.P!), new BigInteger(1, parameters.Q!), new BigInteger(1, parameters.Exponent!));
    }

    /// <summary>d = e⁻¹ mod φ(n) for n the product of distinct <paramref name="primes"/>.</summary>
    public static BigInteger PrivateExponent(BigInteger exponent, params BigInteger[] primes) =>
        exponent.ModInverse(primes.Aggregate(BigInteger.One, (phi, prime) => phi.Multiply(prime.Subtract(BigInteger.One))));
}
