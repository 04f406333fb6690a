using System.Security.Cryptography;
using EstServer.Core.Errors;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace EstServer.Core.Csr;

/// <summary>
/// Proof of possession (RFC 7030 §3.4 relies on the PKCS#10 signature): the CSR must be signed by the
/// private key matching the public key it asks to certify. ECDSA and RSA PKCS#1 v1.5 are verified with
/// the platform's native code (several times faster than managed BouncyCastle); the rest goes to
/// BouncyCastle. SHA-1 signatures are refused: a collision lets a forger reuse a signature.
/// </summary>
public static class CsrSignatureVerifier
{
    private static readonly EstError Mismatch =
        EstError.BadRequest("CSR signature does not verify with its public key (proof of possession failed)");

    public static EstError? Verify(CertificationRequest csr)
    {
        string algorithm = csr.SignatureAlgorithm.Algorithm.Id;
        return algorithm switch
        {
            "1.2.840.10045.4.3.2" => Check(csr, static c => VerifyEcdsa(c, HashAlgorithmName.SHA256)),
            "1.2.840.10045.4.3.3" => Check(csr, static c => VerifyEcdsa(c, HashAlgorithmName.SHA384)),
            "1.2.840.10045.4.3.4" => Check(csr, static c => VerifyEcdsa(c, HashAlgorithmName.SHA512)),
            "1.2.840.113549.1.1.11" => Check(csr, static c => VerifyRsa(c, HashAlgorithmName.SHA256)),
            "1.2.840.113549.1.1.12" => Check(csr, static c => VerifyRsa(c, HashAlgorithmName.SHA384)),
            "1.2.840.113549.1.1.13" => Check(csr, static c => VerifyRsa(c, HashAlgorithmName.SHA512)),
            "1.3.101.112" => csr.Key.Algorithm == KeyAlgorithm.Ed25519 ? Check(csr, VerifyWithBouncyCastle) : Mismatch,
            "1.2.840.113549.1.1.10" => csr.Key.Algorithm == KeyAlgorithm.Rsa ? PssProblem(csr) ?? Check(csr, VerifyWithBouncyCastle) : Mismatch,
            "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" or "1.2.840.113549.1.1.4" =>
                EstError.BadRequest($"CSR signature algorithm {algorithm} uses a broken hash; sign with SHA-256 or stronger"),
            _ => EstError.BadRequest($"CSR signature algorithm {algorithm} is not supported"),
        };
    }

    private static EstError? Check(CertificationRequest csr, Func<CertificationRequest, bool> verify)
    {
        try
        {
            return verify(csr) ? null : Mismatch;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException or InvalidCastException or IOException or InvalidOperationException
            or SecurityUtilityException or Org.BouncyCastle.Security.GeneralSecurityException or Org.BouncyCastle.Crypto.CryptoException)
        {
            return EstError.BadRequest("CSR signature could not be checked: its public key or signature is malformed");
        }
    }

    /// <summary>
    /// RSASSA-PSS names its hashes in its parameters (RFC 4055 §3.1). Only what is sound and actually
    /// checked is accepted: SHA-256/384/512, MGF1 with the same hash (BouncyCastle verifies with MGF1
    /// over the signature hash whatever the parameters claim, so anything else would be accepted
    /// unchecked). The SHA-1 default is as weak here as anywhere.
    /// </summary>
    private static EstError? PssProblem(CertificationRequest csr)
    {
        try
        {
            // Absent parameters mean the RFC 4055 defaults: SHA-1 throughout.
            string hash = csr.SignatureAlgorithm.Parameters is null
                ? "1.3.14.3.2.26"
                : RsassaPssParameters.GetInstance(csr.SignatureAlgorithm.Parameters).HashAlgorithm.Algorithm.Id;
            if (hash is "1.3.14.3.2.26" or "1.2.840.113549.2.5")
            {
                return EstError.BadRequest("CSR signature algorithm RSASSA-PSS uses a broken hash (SHA-1 or MD5); sign with SHA-256 or stronger");
            }

            if (hash is not ("2.16.840.1.101.3.4.2.1" or "2.16.840.1.101.3.4.2.2" or "2.16.840.1.101.3.4.2.3"))
            {
                return EstError.BadRequest($"CSR signature algorithm RSASSA-PSS with hash {hash} is not supported; use SHA-256, SHA-384 or SHA-512");
            }

            RsassaPssParameters parameters = RsassaPssParameters.GetInstance(csr.SignatureAlgorithm.Parameters);
            if (!PkcsObjectIdentifiers.IdMgf1.Equals(parameters.MaskGenAlgorithm.Algorithm)
                || parameters.MaskGenAlgorithm.Parameters is null
                || AlgorithmIdentifier.GetInstance(parameters.MaskGenAlgorithm.Parameters).Algorithm.Id != hash)
            {
                return EstError.BadRequest("CSR RSASSA-PSS parameters must use MGF1 with the signature's own hash");
            }

            return null;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidCastException or InvalidOperationException)
        {
            return EstError.BadRequest("CSR RSASSA-PSS parameters are malformed");
        }
    }

    private static bool VerifyEcdsa(CertificationRequest csr, HashAlgorithmName hash) =>
        csr.Key.Algorithm == KeyAlgorithm.Ec
        && VerifyWith(ECDsa.Create(), csr, key => key.VerifyData(csr.SignedInfo.Span, csr.Signature, hash, DSASignatureFormat.Rfc3279DerSequence));

    private static bool VerifyRsa(CertificationRequest csr, HashAlgorithmName hash) =>
        csr.Key.Algorithm == KeyAlgorithm.Rsa
        && VerifyWith(RSA.Create(), csr, key => key.VerifyData(csr.SignedInfo.Span, csr.Signature, hash, RSASignaturePadding.Pkcs1));

    /// <summary>Imports the CSR's public key into a platform key object and runs the check with it.</summary>
    private static bool VerifyWith<TKey>(TKey key, CertificationRequest csr, Func<TKey, bool> verify)
        where TKey : AsymmetricAlgorithm
    {
        using (key)
        {
            key.ImportSubjectPublicKeyInfo(csr.PublicKeyInfo.GetDerEncoded(), out _);
            return verify(key);
        }
    }

    private static bool VerifyWithBouncyCastle(CertificationRequest csr) =>
        new Pkcs10CertificationRequest(csr.Der).Verify();
}
