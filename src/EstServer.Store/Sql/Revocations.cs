using System.Data.Common;
using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>
/// Revoking certificates and blocking devices. A revocation is final and idempotent: the first time and
/// reason stay (RFC 5280 §5.3.1 leaves certificateHold out here), and each one adds a row to
/// <c>revocations</c>, whose growing revision tells CRL publishing that its last CRL is stale.
/// </summary>
internal sealed class Revocations(StoreDatabase database)
{
    /// <summary>
    /// Revokes by serial under any issuer; should two CAs have used one serial, the newest certificate is
    /// the one meant (as <see cref="CertificateSearch.Get"/> answers). Revoking again writes an audit row
    /// and changes nothing else.
    /// </summary>
    public RevokeResult Revoke(string serial, RevocationReason reason, DateTimeOffset at, string actor) =>
        database.Write<RevokeResult>((connection, transaction) =>
        {
            CertificateRecord? record = SqlCommands.First(
                connection,
                transaction,
                $"SELECT {CertificateRows.ColumnsWithDer} FROM certificates c WHERE c.serial = @serial ORDER BY c.issued_at DESC LIMIT 1{database.ForUpdate}",
                CertificateRows.Read,
                ("serial", serial));
            if (record is null)
            {
                return new RevokeResult.NotFound();
            }

            if (record.Status == CertificateStatus.Revoked)
            {
                string detail = $"already revoked at {record.RevokedAt:O} ({Name(record.RevocationReason)}); asked again with {Name(reason)}";
                AuditLog.Append(connection, transaction, new AuditEntry(at, actor, AuditLog.Revoke, serial, detail));
                return new RevokeResult.Revoked(record, WasAlreadyRevoked: true);
            }

            database.Lock(connection, transaction, StoreLock.Issuer, record.IssuerKeyId);
            RevokeRow(connection, transaction, record.IssuerKeyId, record.Serial, reason, at);
            AuditLog.Append(connection, transaction, new AuditEntry(at, actor, AuditLog.Revoke, serial, Name(reason)));
            return new RevokeResult.Revoked(
                record with { Status = CertificateStatus.Revoked, RevokedAt = UnixMillis.To(UnixMillis.From(at)), RevocationReason = reason },
                WasAlreadyRevoked: false);
        });

    /// <summary>
    /// Blocks the device identity (an existing block keeps its time, reason and actor) and revokes every
    /// good certificate it has, in one transaction with one audit row. On PostgreSQL the device lock makes
    /// a Record for the same device wait, so no certificate is recorded past the block unrevoked.
    /// </summary>
    public DeviceBlock Block(string deviceIdentity, string reason, RevocationReason revocationReason, DateTimeOffset at, string actor) =>
        database.Write((connection, transaction) =>
        {
            database.Lock(connection, transaction, StoreLock.Device, deviceIdentity);
            SqlCommands.Execute(
                connection,
                transaction,
                "INSERT INTO blocked_devices (device_identity, blocked_at, reason, actor) VALUES (@device, @at, @reason, @actor) ON CONFLICT (device_identity) DO NOTHING",
                ("device", deviceIdentity),
                ("at", UnixMillis.From(at)),
                ("reason", reason),
                ("actor", actor));
            StatusQueries.BumpBlockedRevision(connection, transaction);
            (DateTimeOffset blockedAt, string blockedFor) = SqlCommands.First(
                connection,
                transaction,
                "SELECT blocked_at, reason FROM blocked_devices WHERE device_identity = @device",
                row => (UnixMillis.To(row.GetInt64(0)), row.GetString(1)),
                ("device", deviceIdentity));

            List<(string Issuer, string Serial)> good = SqlCommands.List(
                connection,
                transaction,
                $"SELECT issuer_key_id, serial FROM certificates WHERE device_identity = @device AND status = 'good' ORDER BY issuer_key_id, serial{database.ForUpdate}",
                row => (row.GetString(0), row.GetString(1)),
                ("device", deviceIdentity));
            foreach (string issuer in good.Select(certificate => certificate.Issuer).Distinct())
            {
                database.Lock(connection, transaction, StoreLock.Issuer, issuer);
            }

            foreach ((string issuer, string serial) in good)
            {
                RevokeRow(connection, transaction, issuer, serial, revocationReason, at);
            }

            string[] serials = good.Select(certificate => certificate.Serial).ToArray();
            string revoked = serials.Length == 0 ? "no good certificates" : $"revoked {serials.Length} ({Name(revocationReason)}): {string.Join(", ", serials)}";
            AuditLog.Append(connection, transaction, new AuditEntry(at, actor, AuditLog.Block, deviceIdentity, $"{reason}; {revoked}"));
            return new DeviceBlock(deviceIdentity, blockedAt, blockedFor, serials);
        });

    public bool Unblock(string deviceIdentity, DateTimeOffset at, string actor) =>
        database.Write((connection, transaction) =>
        {
            int removed = SqlCommands.Execute(
                connection, transaction, "DELETE FROM blocked_devices WHERE device_identity = @device", ("device", deviceIdentity));
            if (removed > 0)
            {
                StatusQueries.BumpBlockedRevision(connection, transaction);
                AuditLog.Append(connection, transaction, new AuditEntry(at, actor, AuditLog.Unblock, deviceIdentity, "revoked certificates stay revoked"));
            }

            return removed > 0;
        });

    private static void RevokeRow(DbConnection connection, DbTransaction transaction, string issuerKeyId, string serial, RevocationReason reason, DateTimeOffset at)
    {
        (string, object?)[] parameters = [("issuer_key_id", issuerKeyId), ("serial", serial), ("at", UnixMillis.From(at)), ("reason", (long)reason)];
        SqlCommands.Execute(
            connection,
            transaction,
            "UPDATE certificates SET status = 'revoked', revoked_at = @at, revocation_reason = @reason WHERE issuer_key_id = @issuer_key_id AND serial = @serial",
            parameters);
        SqlCommands.Execute(
            connection,
            transaction,
            "INSERT INTO revocations (issuer_key_id, serial, revoked_at, reason) VALUES (@issuer_key_id, @serial, @at, @reason)",
            parameters);
    }

    private static string Name(RevocationReason? reason) => reason is { } value ? RevocationReasons.Name(value) : "no reason";
}
