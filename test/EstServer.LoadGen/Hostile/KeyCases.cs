using EstServer.TestSupport;
using Org.BouncyCastle.Crypto.Parameters;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Keys the shipped profiles refuse: RSA below 2048 or above 4096 bits, broken RSA structure, EC
/// curves other than P-256/P-384, explicit EC parameters, points off the curve, other algorithms.
/// Each is signed properly where the key allows it, so the refusal must come from the key policy.
/// </summary>
public static class KeyCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("key.rsa-1024", 0.8, Rsa1024),
        new("key.rsa-size", 0.8, RsaSize),
        new("key.rsa-structure", 1.0, RsaStructure),
        new("key.ec-curve", 1.0, EcCurve),
        new("key.ec-explicit-parameters", 0.6, EcExplicit),
        new("key.ec-point", 0.8, EcPoint),
        new("key.other-algorithm", 0.8, OtherAlgorithm),
        new("key.ed25519-malformed", 0.5, Ed25519Malformed),
    ];

    private static HostileCase Rsa1024(CaseContext c)
    {
        HostileKey key = c.PoolKey(KeyKind.Rsa1024);
        return c.PostSigned("RSA-1024 request, SHA-256", CsrKit.Simple(Der.NameWithCn(c.UniqueName), key, c.Crypto), CaseExpectation.Exactly(400));
    }

    /// <summary>A made-up modulus of a disallowed size, in a request signed by a P-256 key (the size is refused before the signature matters).</summary>
    private static HostileCase RsaSize(CaseContext c)
    {
        int bits = c.Pick(8, 512, 768, 1023, 2047, 4097, 6144, 8192, 16384, 65536, 200000);
        byte[] spki = RsaSpki(OddModulus(c, bits), [0x01, 0x00, 0x01]);
        HostileKey signer = c.PoolKey(KeyKind.EcP256);
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), spki);
        return c.PostSigned($"RSA key of {bits} bits", CsrKit.Sign(info, signer, SignatureScheme.EcdsaSha256, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase RsaStructure(CaseContext c)
    {
        HostileKey rsa = c.PoolKey(KeyKind.Rsa2048);
        var real = (RsaKeyParameters)rsa.Pair.Public;
        byte[] modulus = real.Modulus.ToByteArrayUnsigned();
        int kind = c.Random.Next(11);
        byte[] spki = kind switch
        {
            0 => RsaSpki(modulus, [0x01]),
            1 => RsaSpki(modulus, [0x02]),
            2 => RsaSpki(modulus, [0x01, 0x00, 0x00]),
            3 => RsaSpki([.. modulus[..^1], (byte)(modulus[^1] & 0xFE)], [0x01, 0x00, 0x01]),
            4 => RsaSpki(SmallFactorModulus(c), [0x01, 0x00, 0x01]),
            5 => Spki(Der.AlgorithmIdentifier(Oids.RsaEncryption, Der.Null()), Der.Seq(Der.Integer(-12345), Der.Integer(65537))),
            6 => Spki(Der.AlgorithmIdentifier(Oids.RsaEncryption, Der.Null()), Der.Seq(Der.Integer(0), Der.Integer(65537))),
            7 => Spki(Der.AlgorithmIdentifier(Oids.RsaEncryption, Der.Null()), Der.Seq(Der.UnsignedInteger(modulus), Der.Integer(65537), Der.Integer(3))),
            8 => Spki(Der.AlgorithmIdentifier(Oids.RsaEncryption, Der.Null()), Der.OctetString(modulus)),
            9 => Der.Seq(Der.AlgorithmIdentifier(Oids.RsaEncryption, Der.Null()), Der.BitString(c.RandomBytes(270))),
            _ => RsaSpki(modulus, [.. modulus, 0x01]),
        };
        byte[] info = CsrKit.Info(Der.NameWithCn(c.Keys.RsaSubject), spki);
        return c.PostSigned($"RSA public key with a broken structure (kind {kind})", CsrKit.Sign(info, rsa, SignatureScheme.RsaSha256, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase EcCurve(CaseContext c)
    {
        KeyKind kind = c.Pick(KeyKind.EcP521, KeyKind.EcSecp256k1, KeyKind.EcBrainpoolP256);
        HostileKey key = c.PoolKey(kind);
        return c.PostSigned($"{kind} key, properly signed", CsrKit.Simple(Der.NameWithCn(c.UniqueName), key, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase EcExplicit(CaseContext c)
    {
        HostileKey key = c.PoolKey(KeyKind.EcP256);
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfoWithExplicitParameters());
        return c.PostSigned("P-256 key with explicit curve parameters, properly signed", CsrKit.Sign(info, key, SignatureScheme.EcdsaSha256, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase EcPoint(CaseContext c)
    {
        HostileKey key = c.PoolKey(KeyKind.EcP256);
        byte[] point = ((ECPublicKeyParameters)key.Pair.Public).Q.GetEncoded(false);
        int kind = c.Random.Next(7);
        byte[] bad = kind switch
        {
            0 => [0x04, .. c.RandomBytes(64)],
            1 => [0x00],
            2 => point[..^1],
            3 => [.. point, 0x00],
            4 => [0x06, .. point[1..]],
            5 => [],
            _ => [0x04, .. new byte[64]],
        };
        byte[] spki = Spki(Der.AlgorithmIdentifier(Oids.EcPublicKey, Der.Oid(Oids.P256)), Der.BitString(bad));
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), spki);
        return c.PostSigned($"P-256 SubjectPublicKeyInfo with a bad point (kind {kind})", CsrKit.Sign(info, key, SignatureScheme.EcdsaSha256, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase OtherAlgorithm(CaseContext c)
    {
        int kind = c.Random.Next(6);
        if (kind == 0)
        {
            HostileKey ed448 = c.PoolKey(KeyKind.Ed448);
            return c.PostSigned("Ed448 key, properly signed", CsrKit.Simple(Der.NameWithCn(c.UniqueName), ed448, c.Crypto), CaseExpectation.Exactly(400));
        }

        HostileKey signer = c.PoolKey(KeyKind.EcP256);
        byte[] spki = kind switch
        {
            1 => Spki(Der.AlgorithmIdentifier(Oids.X25519), Der.BitString(c.RandomBytes(32))),
            2 => Spki(Der.AlgorithmIdentifier(Oids.Dsa, Der.Seq(Der.Integer(23), Der.Integer(11), Der.Integer(4))), Der.BitString(Der.Integer(9))),
            3 => Spki(Der.AlgorithmIdentifier("1.2.3.4.5"), Der.BitString(c.RandomBytes(40))),
            4 => Spki(Der.AlgorithmIdentifier(Oids.RsassaPss), Der.BitString(Der.Seq(Der.Integer(12345), Der.Integer(3)))),
            _ => Spki(Der.AlgorithmIdentifier(Oids.EcPublicKey, Der.Oid(Oids.P256)), Der.BitString(Der.Seq(Der.Integer(1), Der.Integer(2)))),
        };
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), spki);
        return c.PostSigned($"public key of another algorithm (kind {kind})", CsrKit.Sign(info, signer, SignatureScheme.EcdsaSha256, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase Ed25519Malformed(CaseContext c)
    {
        HostileKey key = c.PoolKey(KeyKind.Ed25519);
        byte[] raw = ((Ed25519PublicKeyParameters)key.Pair.Public).GetEncoded();
        int kind = c.Random.Next(3);
        byte[] bad = kind switch
        {
            0 => raw[..31],
            1 => [.. raw, 0x00],
            _ => [],
        };
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), Spki(Der.AlgorithmIdentifier(Oids.Ed25519), Der.BitString(bad)));
        return c.PostSigned($"Ed25519 key of {bad.Length} bytes", CsrKit.Sign(info, key, SignatureScheme.Ed25519, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static byte[] Spki(byte[] algorithm, byte[] bitString) => Der.Seq(algorithm, bitString);

    private static byte[] RsaSpki(byte[] modulus, byte[] exponent) =>
        Spki(Der.AlgorithmIdentifier(Oids.RsaEncryption, Der.Null()), Der.BitString(Der.Seq(Der.UnsignedInteger(modulus), Der.UnsignedInteger(exponent))));

    /// <summary>An odd number of exactly <paramref name="bits"/> bits (top bit set).</summary>
    private static byte[] OddModulus(CaseContext c, int bits)
    {
        byte[] modulus = c.RandomBytes((bits + 7) / 8);
        int topBits = bits % 8 == 0 ? 8 : bits % 8;
        modulus[0] &= (byte)((1 << topBits) - 1);
        modulus[0] |= (byte)(1 << (topBits - 1));
        modulus[^1] |= 1;
        return modulus;
    }

    /// <summary>A 2048-bit odd number divisible by 3.</summary>
    private static byte[] SmallFactorModulus(CaseContext c)
    {
        var value = new System.Numerics.BigInteger(OddModulus(c, 2046), isUnsigned: true, isBigEndian: true) * 3;
        return value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }
}
