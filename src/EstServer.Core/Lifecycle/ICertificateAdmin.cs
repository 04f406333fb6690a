namespace EstServer.Core.Lifecycle;

/// <summary>
/// The store as the admin API and the CLI use it. Each change writes its audit row in the same
/// transaction, so no change goes unrecorded.
/// </summary>
public interface ICertificateAdmin
{
    IReadOnlyList<CertificateRecord> Search(CertificateQuery query, DateTimeOffset now);

    /// <summary>By serial (any issuer), with its DER; null when unknown.</summary>
    CertificateRecord? Get(string serial);

    RevokeResult Revoke(string serial, RevocationReason reason, DateTimeOffset at, string actor);

    /// <summary>Blocks the identity (idempotent: an existing block keeps its time and reason) and revokes its good certificates with <paramref name="revocationReason"/>.</summary>
    DeviceBlock Block(string deviceIdentity, string reason, RevocationReason revocationReason, DateTimeOffset at, string actor);

    /// <summary>Lifts a block; revoked certificates stay revoked. False when the identity was not blocked.</summary>
    bool Unblock(string deviceIdentity, DateTimeOffset at, string actor);

    /// <summary>The newest audit rows, newest first.</summary>
    IReadOnlyList<AuditEntry> AuditTrail(int limit);
}
