using System.Data.Common;
using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>
/// Recording a signed certificate and finding the one a request already has. A certificate reaches a
/// client only once <see cref="Record"/> stored it, so a retried or redelivered request (RFC 7030
/// §4.2.3) gets the same certificate again instead of a second one.
/// </summary>
internal sealed class Issuance(StoreDatabase database, TimeProvider time)
{
    // At most one is live: a request gets a new certificate only when none of its earlier ones is.
    private const string LiveForRequest =
        "SELECT " + CertificateRows.ColumnsWithDer + " FROM certificates c " +
        "WHERE c.request_id = @request_id AND c.status = 'good' AND c.not_after > @now ORDER BY c.issued_at DESC LIMIT 1";

    // Same owner: keep the claim, extended to the later until. Other owner: take it only once it lapsed.
    // No row comes back when the WHERE refuses, which is how a taken key shows. On PostgreSQL the
    // conflicting row is locked, so of two identities claiming one new key the second waits for the
    // first and then sees its claim.
    private const string ClaimKey =
        "INSERT INTO key_claims (spki_sha256, owner, until) VALUES (@spki, @owner, @until) " +
        "ON CONFLICT (spki_sha256) DO UPDATE SET owner = excluded.owner, " +
        "until = CASE WHEN key_claims.owner = excluded.owner AND key_claims.until > excluded.until THEN key_claims.until ELSE excluded.until END " +
        "WHERE key_claims.owner = excluded.owner OR key_claims.until <= @now RETURNING owner";

    public CertificateRecord? FindIssuedFor(string requestId, DateTimeOffset now) =>
        database.Read(connection => SqlCommands.First(
            connection, null, LiveForRequest, CertificateRows.Read, ("request_id", requestId), ("now", UnixMillis.From(now))));

    /// <summary>
    /// In one transaction, in this order: a blocked device is refused; a request whose certificate is
    /// still good and unexpired gets that one back (nothing written); a key another owner holds a live
    /// claim on is refused; else the claim is taken or extended and the certificate inserted (a request
    /// whose earlier certificate was revoked or expired gets the new one).
    /// </summary>
    public RecordResult Record(CertificateRecord record, KeyClaim? claim)
    {
        long now = UnixMillis.From(time.GetUtcNow());
        return database.Write<RecordResult>((connection, transaction) =>
        {
            database.Lock(connection, transaction, StoreLock.Device, record.DeviceIdentity);
            if (IsBlocked(connection, transaction, record.DeviceIdentity))
            {
                return new RecordResult.DeviceBlocked();
            }

            database.Lock(connection, transaction, StoreLock.Request, record.RequestId);
            CertificateRecord? existing = SqlCommands.First(
                connection, transaction, LiveForRequest, CertificateRows.Read, ("request_id", record.RequestId), ("now", now));
            if (existing is not null)
            {
                return new RecordResult.AlreadyIssued(existing);
            }

            if (claim is not null && TakenBy(connection, transaction, claim, now) is { } owner)
            {
                return new RecordResult.KeyTaken(owner);
            }

            CertificateRows.InsertRow(connection, transaction, record);
            return new RecordResult.Recorded();
        });
    }

    public static bool IsBlocked(DbConnection connection, DbTransaction? transaction, string deviceIdentity) =>
        SqlCommands.Scalar(connection, transaction, "SELECT 1 FROM blocked_devices WHERE device_identity = @device", ("device", deviceIdentity)) is not null;

    /// <summary>The other owner holding a live claim on the key, or null when the claim is now ours.</summary>
    private static string? TakenBy(DbConnection connection, DbTransaction transaction, KeyClaim claim, long now)
    {
        object? claimed = SqlCommands.Scalar(
            connection, transaction, ClaimKey, ("spki", claim.SpkiSha256), ("owner", claim.Owner), ("until", UnixMillis.From(claim.Until)), ("now", now));
        if (claimed is not null)
        {
            return null;
        }

        return (string?)SqlCommands.Scalar(connection, transaction, "SELECT owner FROM key_claims WHERE spki_sha256 = @spki", ("spki", claim.SpkiSha256))
            ?? throw new InvalidOperationException("a refused key claim left no claim behind");
    }
}
