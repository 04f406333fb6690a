using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>What CRL publishing reads and writes: revoked entries, the revocation revision, the signed CRLs.</summary>
internal sealed class CrlTable(StoreDatabase database)
{
    private const string CrlColumns = "issuer_key_id, number, covers_revision, this_update, next_update, der";

    /// <summary>Revoked and not yet expired at <paramref name="now"/> (RFC 5280 §3.3), oldest revocation first.</summary>
    public IReadOnlyList<RevokedEntry> Revoked(string issuerKeyId, DateTimeOffset now) =>
        database.Read(connection => SqlCommands.List(
            connection,
            null,
            "SELECT serial, revoked_at, revocation_reason FROM certificates " +
            "WHERE issuer_key_id = @issuer_key_id AND status = 'revoked' AND not_after > @now ORDER BY revoked_at, serial",
            reader => new RevokedEntry(reader.GetString(0), UnixMillis.To(reader.GetInt64(1)), (RevocationReason)reader.GetInt64(2)),
            ("issuer_key_id", issuerKeyId),
            ("now", UnixMillis.From(now))));

    /// <summary>The issuer's newest revocation revision; a publisher reads it before <see cref="Revoked"/> so its CRL lists at least that much.</summary>
    public long RevocationRevision(string issuerKeyId) =>
        database.Read(connection => Convert.ToInt64(
            SqlCommands.Scalar(connection, null, "SELECT COALESCE(MAX(revision), 0) FROM revocations WHERE issuer_key_id = @issuer_key_id", ("issuer_key_id", issuerKeyId)),
            System.Globalization.CultureInfo.InvariantCulture));

    public PublishedCrl? LatestCrl(string issuerKeyId) =>
        database.Read(connection => SqlCommands.First(
            connection,
            null,
            $"SELECT {CrlColumns} FROM crls WHERE issuer_key_id = @issuer_key_id ORDER BY number DESC LIMIT 1",
            reader => new PublishedCrl(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                UnixMillis.To(reader.GetInt64(3)),
                UnixMillis.To(reader.GetInt64(4)),
                reader.GetFieldValue<byte[]>(5)),
            ("issuer_key_id", issuerKeyId)));

    /// <summary>False when a CRL with this number exists already: ON CONFLICT DO NOTHING, so no unique-violation exception to catch.</summary>
    public bool TryPublishCrl(PublishedCrl crl) =>
        database.Write((connection, transaction) => SqlCommands.Execute(
            connection,
            transaction,
            $"INSERT INTO crls ({CrlColumns}) VALUES (@issuer_key_id, @number, @covers_revision, @this_update, @next_update, @der) " +
            "ON CONFLICT (issuer_key_id, number) DO NOTHING",
            ("issuer_key_id", crl.IssuerKeyId),
            ("number", crl.Number),
            ("covers_revision", crl.CoversRevision),
            ("this_update", UnixMillis.From(crl.ThisUpdate)),
            ("next_update", UnixMillis.From(crl.NextUpdate)),
            ("der", crl.Der)) == 1);
}
