using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.TeleTrust;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// A key pair made with BouncyCastle from a seeded generator, so the same seed gives the same keys and
/// (with deterministic or seeded signing) the same CSR bytes; BouncyCastle also makes the curves the
/// platform cannot (secp256k1, brainpool) and Ed25519/Ed448.
/// </summary>
public sealed class HostileKey
{
    private HostileKey(KeyKind kind, AsymmetricCipherKeyPair pair)
    {
        Kind = kind;
        Pair = pair;
        SubjectPublicKeyInfo = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
    }

    public KeyKind Kind { get; }

    public AsymmetricCipherKeyPair Pair { get; }

    /// <summary>The DER SubjectPublicKeyInfo (named curve for EC keys).</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    public SignatureScheme DefaultScheme => Kind switch
    {
        KeyKind.Ed25519 => SignatureScheme.Ed25519,
        KeyKind.Ed448 => SignatureScheme.Ed448,
        KeyKind.Rsa1024 or KeyKind.Rsa2048 => SignatureScheme.RsaSha256,
        KeyKind.EcP384 => SignatureScheme.EcdsaSha384,
        _ => SignatureScheme.EcdsaSha256,
    };

    public bool IsRsa => Kind is KeyKind.Rsa1024 or KeyKind.Rsa2048;

    public static HostileKey Generate(KeyKind kind, SecureRandom random)
    {
        IAsymmetricCipherKeyPairGenerator generator;
        switch (kind)
        {
            case KeyKind.Ed25519:
                generator = new Ed25519KeyPairGenerator();
                generator.Init(new Ed25519KeyGenerationParameters(random));
                break;
            case KeyKind.Ed448:
                generator = new Ed448KeyPairGenerator();
                generator.Init(new Ed448KeyGenerationParameters(random));
                break;
            case KeyKind.Rsa1024:
            case KeyKind.Rsa2048:
                generator = new RsaKeyPairGenerator();
                generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), random, kind == KeyKind.Rsa1024 ? 1024 : 2048, 80));
                break;
            default:
                generator = new ECKeyPairGenerator("EC");
                generator.Init(new ECKeyGenerationParameters(CurveOid(kind), random));
                break;
        }

        return new HostileKey(kind, generator.GenerateKeyPair());
    }

    /// <summary>A seeded, deterministic random source (SHA-256 DRBG without OS entropy).</summary>
    public static SecureRandom SeededRandom(long seed, long stream)
    {
        SecureRandom random = SecureRandom.GetInstance("SHA256PRNG", false);
        random.SetSeed(BitConverter.GetBytes(seed));
        random.SetSeed(BitConverter.GetBytes(stream));
        return random;
    }

    /// <summary>The same EC public key with explicit curve parameters instead of a named curve (RFC 5480 forbids them).</summary>
    public byte[] SubjectPublicKeyInfoWithExplicitParameters()
    {
        var publicKey = (ECPublicKeyParameters)Pair.Public;
        X9ECParameters curve = ECNamedCurveTable.GetByOid(CurveOid(Kind)) ?? throw new InvalidOperationException("not a named curve");
        var parameters = new X962Parameters(curve);
        var info = new Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo(
            new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, parameters),
            publicKey.Q.GetEncoded(false));
        return info.GetDerEncoded();
    }

    private static Org.BouncyCastle.Asn1.DerObjectIdentifier CurveOid(KeyKind kind) => kind switch
    {
        KeyKind.EcP384 => SecObjectIdentifiers.SecP384r1,
        KeyKind.EcP521 => SecObjectIdentifiers.SecP521r1,
        KeyKind.EcSecp256k1 => SecObjectIdentifiers.SecP256k1,
        KeyKind.EcBrainpoolP256 => TeleTrusTObjectIdentifiers.BrainpoolP256R1,
        _ => X9ObjectIdentifiers.Prime256v1,
    };
}
