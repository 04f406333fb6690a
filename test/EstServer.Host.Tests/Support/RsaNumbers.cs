using System.Security.Cryptography;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// RSA keys as numbers, for requests made with <c>TestCsr.FromRsaNumbers</c>: keys no key generator makes
/// (exponent 1, a modulus with a small factor, nearly equal primes) start from a sound one.
/// </summary>
internal static class RsaNumbers
{
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
