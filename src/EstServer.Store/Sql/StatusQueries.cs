using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>The per-enrollment reads: a certificate's state (with whether its device is blocked), blocks and their revision.</summary>
internal sealed class StatusQueries(StoreDatabase database)
{
    /// <summary>The <c>store_revisions</c> row of the blocked devices (migration 2).</summary>
    public const string BlockedDevices = "blocked_devices";

    private const string State =
        "SELECT c.serial, c.status, c.revoked_at, c.revocation_reason, c.device_identity, c.not_after, b.device_identity " +
        "FROM certificates c LEFT JOIN blocked_devices b ON b.device_identity = c.device_identity " +
        "WHERE c.issuer_key_id = @issuer_key_id AND c.serial = @serial";

    public CertificateState? FindState(string issuerKeyId, string serial) =>
        database.Read(connection => SqlCommands.First(
            connection,
            null,
            State,
            reader => new CertificateState(
                reader.GetString(0),
                StatusText.Parse(reader.GetString(1)),
                reader.IsDBNull(2) ? null : UnixMillis.To(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : (RevocationReason)reader.GetInt64(3),
                reader.GetString(4),
                DeviceBlocked: !reader.IsDBNull(6),
                UnixMillis.To(reader.GetInt64(5))),
            ("issuer_key_id", issuerKeyId),
            ("serial", serial)));

    public bool IsBlocked(string deviceIdentity) =>
        database.Read(connection => Issuance.IsBlocked(connection, null, deviceIdentity));

    public long BlockedRevision() =>
        database.Read(connection => Convert.ToInt64(
            SqlCommands.Scalar(connection, null, "SELECT revision FROM store_revisions WHERE name = @name", ("name", BlockedDevices)) ?? 0L,
            System.Globalization.CultureInfo.InvariantCulture));

    public IReadOnlyCollection<string> BlockedIdentities() =>
        database.Read(connection => SqlCommands.List(connection, null, "SELECT device_identity FROM blocked_devices", reader => reader.GetString(0)));

    /// <summary>Marks a change of the blocked devices, in the transaction that made it.</summary>
    public static void BumpBlockedRevision(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction) =>
        SqlCommands.Execute(connection, transaction, "UPDATE store_revisions SET revision = revision + 1 WHERE name = @name", ("name", BlockedDevices));
}
