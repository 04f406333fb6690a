using EstServer.Core.Wire;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace EstServer.Core.Issuance;

/// <summary>
/// The public side of the issuing CA: its certificate and the chain up to the root. This is all the
/// internet-facing host needs for cacerts and for recognising certificates it issued; the private key
/// lives behind <see cref="ICertificateSigner"/>.
/// </summary>
public sealed class IssuingCa
{
    public IssuingCa(IReadOnlyList<byte[]> chainDer)
    {
        if (chainDer.Count == 0)
        {
            throw new ArgumentException("the CA chain is empty", nameof(chainDer));
        }

        ChainDer = chainDer;
        Certificate = new X509Certificate(chainDer[0]);
        if (Certificate.GetBasicConstraints() < 0)
        {
            throw new ArgumentException($"the issuing CA certificate {Certificate.SubjectDN} is not a CA (basicConstraints cA is not set)", nameof(chainDer));
        }

        if (Certificate.GetKeyUsage() is { } usage && !usage[5])
        {
            throw new ArgumentException($"the issuing CA certificate {Certificate.SubjectDN} may not sign certificates (keyUsage lacks keyCertSign)", nameof(chainDer));
        }

        for (int i = 1; i < chainDer.Count; i++)
        {
            var child = new X509Certificate(chainDer[i - 1]);
            var parent = new X509Certificate(chainDer[i]);
            if (!child.IssuerDN.Equivalent(parent.SubjectDN, inOrder: true) || !IsSignedBy(child, parent))
            {
                throw new ArgumentException($"the CA chain is out of order: {child.SubjectDN} is not issued by {parent.SubjectDN}", nameof(chainDer));
            }
        }

        SubjectKeyIdentifier caKeyId = X509ExtensionUtilities.GetSubjectKeyIdentifier(Certificate)
            ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(Certificate.CertificateStructure.SubjectPublicKeyInfo);
        AuthorityKeyIdentifier = X509ExtensionUtilities.CreateAuthorityKeyIdentifier(caKeyId);
        KeyIdHex = Convert.ToHexStringLower(caKeyId.GetKeyIdentifier());
        CertsOnlyDer = CertsOnlyPkcs7.Encode(chainDer);
    }

    public X509Certificate Certificate { get; }

    public X509Name Subject => Certificate.SubjectDN;

    public DateTime NotAfter => Certificate.NotAfter;

    /// <summary>Issuing CA first, root last.</summary>
    public IReadOnlyList<byte[]> ChainDer { get; }

    public byte[] RootDer => ChainDer[^1];

    /// <summary>
    /// RFC 5280 §4.2.1.1: keyIdentifier is the CA certificate's own subject key identifier (computed by
    /// the §4.2.1.2 method 1 only when the CA certificate lacks one).
    /// </summary>
    public AuthorityKeyIdentifier AuthorityKeyIdentifier { get; }

    /// <summary>Lowercase hex of the CA's key identifier: how the store, CRLs and their URLs name this CA.</summary>
    public string KeyIdHex { get; }

    /// <summary>The cacerts answer (RFC 7030 §4.1.3), encoded once.</summary>
    public byte[] CertsOnlyDer { get; }

    /// <summary>Proves the signer holds the private key of this CA certificate (false for a key of another type, too).</summary>
    public bool Matches(ICertificateSigner signer)
    {
        try
        {
            byte[] probe = "EstServer CA key check"u8.ToArray();
            byte[] signature = signer.Sign(probe);
            var verifier = new Org.BouncyCastle.Crypto.Operators.Asn1VerifierFactory(signer.SignatureAlgorithm, Certificate.GetPublicKey());
            Org.BouncyCastle.Crypto.IStreamCalculator<Org.BouncyCastle.Crypto.IVerifier> calculator = verifier.CreateCalculator();
            calculator.Stream.Write(probe);
            calculator.Stream.Dispose();
            return calculator.GetResult().IsVerified(signature);
        }
        catch (Exception exception) when (exception is Org.BouncyCastle.Crypto.CryptoException or Org.BouncyCastle.Security.GeneralSecurityException or ArgumentException or InvalidCastException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static bool IsSignedBy(X509Certificate child, X509Certificate parent)
    {
        try
        {
            child.Verify(parent.GetPublicKey());
            return true;
        }
        catch (Exception exception) when (exception is Org.BouncyCastle.Security.Certificates.CertificateException or Org.BouncyCastle.Crypto.CryptoException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Security.InvalidKeyException or ArgumentException)
        {
            return false;
        }
    }
}
