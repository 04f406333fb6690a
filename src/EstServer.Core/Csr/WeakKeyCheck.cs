using System.Numerics;
using System.Security.Cryptography;
using EstServer.Core.Errors;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Csr;

/// <summary>
/// Refuses public keys that are weak regardless of their size: a blocklist of known-bad keys (by
/// SHA-256 of the SubjectPublicKeyInfo, e.g. keys published in documentation, or leaked device keys),
/// and RSA keys with a broken structure: an even or tiny public exponent, an even modulus, a small
/// prime factor, or two primes so close that Fermat's method factors the modulus at once (a
/// signature of a broken key generator). Each check costs microseconds.
/// </summary>
public sealed class WeakKeyCheck(IReadOnlySet<string> blockedKeyHashes)
{
    private const int FermatRounds = 8;

    private static readonly int[] SmallPrimes = Enumerable.Range(3, 1000).Where(IsPrime).ToArray();

    public static WeakKeyCheck None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public int BlockedCount => blockedKeyHashes.Count;

    public EstError? Check(SubjectPublicKeyInfo publicKey)
    {
        byte[] der = publicKey.GetDerEncoded();
        if (blockedKeyHashes.Count > 0 && blockedKeyHashes.Contains(KeyHash(der)))
        {
            return EstError.BadRequest("CSR public key is on the blocklist of known-compromised keys; generate a new key");
        }

        if (!PkcsObjectIdentifiers.RsaEncryption.Equals(publicKey.Algorithm.Algorithm))
        {
            return null;
        }

        RsaPublicKeyStructure rsa = RsaPublicKeyStructure.GetInstance(publicKey.ParsePublicKey());
        var modulus = new BigInteger(rsa.Modulus.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        var exponent = new BigInteger(rsa.PublicExponent.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        if (exponent < 3 || exponent.IsEven || exponent >= modulus)
        {
            return EstError.BadRequest("CSR RSA public exponent is invalid (it must be odd and at least 3; 65537 is usual)");
        }

        if (modulus.IsEven || SmallPrimes.Any(prime => (modulus % prime).IsZero))
        {
            return EstError.BadRequest("CSR RSA modulus has a small factor: the key is broken; generate a new key");
        }

        return FactorsByFermat(modulus)
            ? EstError.BadRequest("CSR RSA modulus is the product of two nearly equal primes: the key is broken; generate a new key")
            : null;
    }

    /// <summary>The blocklist's key format: lowercase hex SHA-256 of the SubjectPublicKeyInfo DER.</summary>
    public static string KeyHash(ReadOnlySpan<byte> subjectPublicKeyInfoDer) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfoDer));

    /// <summary>Reads a blocklist file: one hash per line, '#' starts a comment.</summary>
    public static WeakKeyCheck FromFile(string path)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Split('#')[0].Trim().ToLowerInvariant();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length != 64 || !line.All(char.IsAsciiHexDigit))
            {
                throw new InvalidDataException($"{path}: '{line}' is not a SHA-256 hex digest of a SubjectPublicKeyInfo");
            }

            hashes.Add(line);
        }

        return new WeakKeyCheck(hashes);
    }

    /// <summary>n = a² − b² for some a just above √n: true when p and q differ by a tiny fraction of √n.</summary>
    private static bool FactorsByFermat(BigInteger n)
    {
        BigInteger a = Sqrt(n);
        if (a * a < n)
        {
            a += 1;
        }

        for (int i = 0; i < FermatRounds; i++, a += 1)
        {
            BigInteger b2 = (a * a) - n;
            BigInteger b = Sqrt(b2);
            if (b * b == b2)
            {
                return true;
            }
        }

        return false;
    }

    private static BigInteger Sqrt(BigInteger n)
    {
        if (n < 2)
        {
            return n;
        }

        BigInteger x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2);
        while (true)
        {
            BigInteger y = (x + (n / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }

    private static bool IsPrime(int value)
    {
        for (int d = 2; d * d <= value; d++)
        {
            if (value % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}
