using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace EstServer.Core.Csr;

/// <summary>What kind of public key a CSR carries: enough to apply a key policy and to describe it in errors.</summary>
public sealed record SubjectKey(KeyAlgorithm Algorithm, int SizeBits, string? Curve)
{
    public override string ToString() => Algorithm switch
    {
        KeyAlgorithm.Rsa => $"RSA-{SizeBits}",
        KeyAlgorithm.Ec => $"EC {Curve}",
        KeyAlgorithm.Ed25519 => "Ed25519",
        _ => $"key algorithm {Curve}",
    };

    public static SubjectKey Describe(SubjectPublicKeyInfo info)
    {
        DerObjectIdentifier algorithm = info.Algorithm.Algorithm;
        if (PkcsObjectIdentifiers.RsaEncryption.Equals(algorithm))
        {
            RsaPublicKeyStructure rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
            return new SubjectKey(KeyAlgorithm.Rsa, rsa.Modulus.BitLength, null);
        }

        if (X9ObjectIdentifiers.IdECPublicKey.Equals(algorithm))
        {
            // RFC 5480 §2.1.1: only namedCurve is allowed; implicit or explicit parameters are refused.
            if (info.Algorithm.Parameters is DerObjectIdentifier curve)
            {
                return curve.Id switch
                {
                    "1.2.840.10045.3.1.7" => new SubjectKey(KeyAlgorithm.Ec, 256, "P-256"),
                    "1.3.132.0.34" => new SubjectKey(KeyAlgorithm.Ec, 384, "P-384"),
                    "1.3.132.0.35" => new SubjectKey(KeyAlgorithm.Ec, 521, "P-521"),
                    _ => new SubjectKey(KeyAlgorithm.Ec, 0, curve.Id),
                };
            }

            return new SubjectKey(KeyAlgorithm.Ec, 0, "explicit parameters");
        }

        if (EdECObjectIdentifiers.id_Ed25519.Equals(algorithm))
        {
            return new SubjectKey(KeyAlgorithm.Ed25519, 256, null);
        }

        return new SubjectKey(KeyAlgorithm.Other, 0, algorithm.Id);
    }

    /// <summary>The OID of a curve name as accepted in configuration (P-256, P-384, P-521).</summary>
    public static DerObjectIdentifier? CurveOid(string curve) => curve switch
    {
        "P-256" => X9ObjectIdentifiers.Prime256v1,
        "P-384" => SecObjectIdentifiers.SecP384r1,
        "P-521" => SecObjectIdentifiers.SecP521r1,
        _ => null,
    };
}
