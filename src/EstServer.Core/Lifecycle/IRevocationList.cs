namespace EstServer.Core.Lifecycle;

/// <summary>
/// What CRL publishing needs: the revoked certificates of one issuer, a revision that grows with every
/// revocation, and the signed CRLs, numbered without gaps or repeats even with several publishers
/// (RFC 5280 §5.2.3: crlNumber increases).
/// </summary>
public interface IRevocationList
{
    /// <summary>Revoked certificates of the issuer that have not yet expired at <paramref name="now"/> (RFC 5280 §3.3 lets expired ones drop off).</summary>
    IReadOnlyList<RevokedEntry> Revoked(string issuerKeyId, DateTimeOffset now);

    /// <summary>Grows with every revocation under the issuer; 0 before the first.</summary>
    long RevocationRevision(string issuerKeyId);

    PublishedCrl? LatestCrl(string issuerKeyId);

    /// <summary>Stores the CRL unless one with that number already exists (another publisher was first); says which.</summary>
    bool TryPublishCrl(PublishedCrl crl);
}
