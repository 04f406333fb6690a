using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Revocation;

/// <summary>
/// Signs a CRL (RFC 5280 §5) for the issuing CA with the CA's own key, through
/// <see cref="ICertificateSigner"/> so a file key and an HSM sign alike. The CA is its own CRL issuer:
/// no indirect CRL, no delta CRLs.
/// </summary>
public sealed class CrlBuilder
{
    private readonly IssuingCa _ca;
    private readonly SignerSignatureFactory _signatureFactory;

    public CrlBuilder(IssuingCa ca, ICertificateSigner signer)
    {
        _ca = ca;
        _signatureFactory = new SignerSignatureFactory(signer);
    }

    public IssuingCa Ca => _ca;

    /// <summary>A DER v2 CRL listing <paramref name="revoked"/>; serials are lowercase hex as the store keeps them.</summary>
    public byte[] Build(long crlNumber, IReadOnlyList<RevokedEntry> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(crlNumber);
        if (nextUpdate <= thisUpdate)
        {
            throw new ArgumentException("nextUpdate must come after thisUpdate (RFC 5280 §5.1.2.5)", nameof(nextUpdate));
        }

        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(_ca.Subject);
        generator.SetThisUpdate(thisUpdate.UtcDateTime);
        // RFC 5280 §5.1.2.5: conforming CRL issuers MUST include nextUpdate.
        generator.SetNextUpdate(nextUpdate.UtcDateTime);

        foreach (RevokedEntry entry in revoked)
        {
            generator.AddCrlEntry(new BigInteger(entry.Serial, 16), entry.RevokedAt.UtcDateTime, EntryExtensions(entry.Reason));
        }

        // RFC 5280 §5.2.1 and §5.2.3: both MUST be present, non-critical.
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, _ca.AuthorityKeyIdentifier);
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(crlNumber)));
        return generator.Generate(_signatureFactory).GetEncoded();
    }

    private static X509Extensions? EntryExtensions(RevocationReason reason)
    {
        // RFC 5280 §5.3.1: the reasonCode unspecified (0) SHOULD be absent rather than stated.
        if (reason == RevocationReason.Unspecified)
        {
            return null;
        }

        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.ReasonCode, false, new CrlReason((int)reason));
        return extensions.Generate();
    }
}
