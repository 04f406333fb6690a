namespace EstServer.Core.Lifecycle;

/// <summary>
/// The store as whoever signs sees it. A certificate reaches a client only after <see cref="Record"/>
/// said <see cref="RecordResult.Recorded"/> (or handed back the one already recorded for the request).
/// Every member throws <see cref="StoreUnavailableException"/> when the database cannot be reached.
/// </summary>
public interface IIssuanceLedger : ICertificateStatusReader
{
    /// <summary>The certificate already issued for this request id, if it is still good and unexpired at <paramref name="now"/>: a redelivered or repeated request gets it again.</summary>
    CertificateRecord? FindIssuedFor(string requestId, DateTimeOffset now);

    /// <summary>
    /// In one transaction: refuses if the device identity is blocked or the key is claimed by another
    /// owner, answers with the existing certificate if the request already has a live one, else stores
    /// the record, the claim and the request's certificate.
    /// </summary>
    RecordResult Record(CertificateRecord record, KeyClaim? claim);
}
