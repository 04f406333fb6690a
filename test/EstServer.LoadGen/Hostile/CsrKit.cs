using EstServer.TestSupport;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace EstServer.LoadGen.Hostile;

/// <summary>Assembles PKCS#10 requests (RFC 2986) from parts and signs them with the campaign's keys and schemes (<see cref="TestCsr.Parts"/> takes them apart).</summary>
public static class CsrKit
{
    /// <summary>CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }.</summary>
    public static byte[] Info(byte[] subject, byte[] subjectPublicKeyInfo, IEnumerable<byte[]>? attributes = null, long version = 0) =>
        Der.Seq(Der.Integer(version), subject, subjectPublicKeyInfo, Der.Attributes(attributes ?? []));

    /// <summary>A request for <paramref name="info"/>, signed by <paramref name="key"/> with <paramref name="scheme"/>.</summary>
    public static byte[] Sign(byte[] info, HostileKey key, SignatureScheme scheme, SecureRandom random) =>
        Assemble(info, AlgorithmIdentifier(scheme), Signature(info, key, scheme, random));

    public static byte[] Assemble(byte[] info, byte[] algorithmIdentifier, byte[] signature) =>
        Der.Seq(info, algorithmIdentifier, Der.BitString(signature));

    /// <summary>The common case: a subject, the key's own SPKI, optional extensions, the key's usual scheme.</summary>
    public static byte[] Simple(byte[] subject, HostileKey key, SecureRandom random, IEnumerable<byte[]>? extensions = null)
    {
        byte[][] attributes = extensions is null ? [] : [Der.ExtensionRequest(extensions)];
        return Sign(Info(subject, key.SubjectPublicKeyInfo, attributes), key, key.DefaultScheme, random);
    }

    public static byte[] AlgorithmIdentifier(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.EcdsaSha256 => Der.AlgorithmIdentifier(Oids.EcdsaWithSha256),
        SignatureScheme.EcdsaSha384 => Der.AlgorithmIdentifier(Oids.EcdsaWithSha384),
        SignatureScheme.EcdsaSha1 => Der.AlgorithmIdentifier(Oids.EcdsaWithSha1),
        SignatureScheme.RsaSha256 => Der.AlgorithmIdentifier(Oids.Sha256WithRsa, Der.Null()),
        SignatureScheme.RsaSha1 => Der.AlgorithmIdentifier(Oids.Sha1WithRsa, Der.Null()),
        SignatureScheme.RsaMd5 => Der.AlgorithmIdentifier(Oids.Md5WithRsa, Der.Null()),
        SignatureScheme.RsaPssSha256 => Der.AlgorithmIdentifier(Oids.RsassaPss, Der.Seq(
            Der.Context(0, true, Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.1", Der.Null())),
            Der.Context(1, true, Der.AlgorithmIdentifier(Oids.Mgf1, Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.1", Der.Null()))),
            Der.Context(2, true, Der.Integer(32)))),
        SignatureScheme.RsaPssSha1Default => Der.AlgorithmIdentifier(Oids.RsassaPss, Der.Seq()),
        SignatureScheme.Ed25519 => Der.AlgorithmIdentifier(Oids.Ed25519),
        _ => Der.AlgorithmIdentifier(Oids.Ed448),
    };

    public static byte[] Signature(byte[] data, HostileKey key, SignatureScheme scheme, SecureRandom random)
    {
        string algorithm = scheme switch
        {
            SignatureScheme.EcdsaSha256 => "SHA-256withECDSA",
            SignatureScheme.EcdsaSha384 => "SHA-384withECDSA",
            SignatureScheme.EcdsaSha1 => "SHA-1withECDSA",
            SignatureScheme.RsaSha256 => "SHA-256withRSA",
            SignatureScheme.RsaSha1 => "SHA-1withRSA",
            SignatureScheme.RsaMd5 => "MD5withRSA",
            SignatureScheme.RsaPssSha256 => "SHA-256withRSAandMGF1",
            SignatureScheme.RsaPssSha1Default => "SHA-1withRSAandMGF1",
            SignatureScheme.Ed25519 => "Ed25519",
            _ => "Ed448",
        };
        ISigner signer = SignerUtilities.GetSigner(algorithm);
        ICipherParameters parameters = key.Kind is KeyKind.Ed25519 or KeyKind.Ed448
            ? key.Pair.Private
            : new ParametersWithRandom(key.Pair.Private, random);
        signer.Init(true, parameters);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }
}
