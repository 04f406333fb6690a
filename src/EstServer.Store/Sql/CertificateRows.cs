using System.Data.Common;
using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>The certificates table as records: the column list, reading a row, inserting one.</summary>
internal static class CertificateRows
{
    /// <summary>Every column but der, prefixed "c." so queries may join; <see cref="Read"/> expects this order.</summary>
    public const string Columns =
        "c.serial, c.issuer_key_id, c.issuer, c.subject, c.subject_alt_names, c.spki_sha256, c.requester_subject, " +
        "c.requester_thumbprint, c.device_identity, c.profile, c.profile_version, c.kind, c.renews_serial, c.not_before, " +
        "c.not_after, c.issued_at, c.request_id, c.status, c.revoked_at, c.revocation_reason";

    /// <summary><see cref="Columns"/> and the DER last.</summary>
    public const string ColumnsWithDer = Columns + ", c.der";

    private const int DerOrdinal = 20;

    public const string Insert =
        "INSERT INTO certificates (serial, issuer_key_id, issuer, subject, subject_alt_names, spki_sha256, requester_subject, " +
        "requester_thumbprint, device_identity, profile, profile_version, kind, renews_serial, not_before, not_after, issued_at, " +
        "request_id, status, revoked_at, revocation_reason, der) VALUES (@serial, @issuer_key_id, @issuer, @subject, " +
        "@subject_alt_names, @spki_sha256, @requester_subject, @requester_thumbprint, @device_identity, @profile, " +
        "@profile_version, @kind, @renews_serial, @not_before, @not_after, @issued_at, @request_id, @status, @revoked_at, " +
        "@revocation_reason, @der)";

    /// <summary>A row selected with <see cref="Columns"/> (DER left empty) or <see cref="ColumnsWithDer"/>.</summary>
    public static CertificateRecord Read(DbDataReader reader) => new()
    {
        Serial = reader.GetString(0),
        IssuerKeyId = reader.GetString(1),
        Issuer = reader.GetString(2),
        Subject = reader.GetString(3),
        SubjectAltNames = reader.GetString(4),
        SpkiSha256 = reader.GetString(5),
        RequesterSubject = reader.GetString(6),
        RequesterThumbprint = reader.GetString(7),
        DeviceIdentity = reader.GetString(8),
        Profile = reader.GetString(9),
        ProfileVersion = reader.GetString(10),
        Kind = reader.GetString(11),
        RenewsSerial = reader.IsDBNull(12) ? null : reader.GetString(12),
        NotBefore = UnixMillis.To(reader.GetInt64(13)),
        NotAfter = UnixMillis.To(reader.GetInt64(14)),
        IssuedAt = UnixMillis.To(reader.GetInt64(15)),
        RequestId = reader.GetString(16),
        Status = StatusText.Parse(reader.GetString(17)),
        RevokedAt = reader.IsDBNull(18) ? null : UnixMillis.To(reader.GetInt64(18)),
        RevocationReason = reader.IsDBNull(19) ? null : (RevocationReason)reader.GetInt64(19),
        Der = reader.FieldCount > DerOrdinal ? reader.GetFieldValue<byte[]>(DerOrdinal) : [],
    };

    public static void InsertRow(DbConnection connection, DbTransaction transaction, CertificateRecord record) =>
        SqlCommands.Execute(connection, transaction, Insert, Parameters(record));

    /// <summary>The record as the named parameters of <see cref="Insert"/>.</summary>
    public static (string Name, object? Value)[] Parameters(CertificateRecord record) =>
    [
        ("serial", record.Serial),
        ("issuer_key_id", record.IssuerKeyId),
        ("issuer", record.Issuer),
        ("subject", record.Subject),
        ("subject_alt_names", record.SubjectAltNames),
        ("spki_sha256", record.SpkiSha256),
        ("requester_subject", record.RequesterSubject),
        ("requester_thumbprint", record.RequesterThumbprint),
        ("device_identity", record.DeviceIdentity),
        ("profile", record.Profile),
        ("profile_version", record.ProfileVersion),
        ("kind", record.Kind),
        ("renews_serial", record.RenewsSerial),
        ("not_before", UnixMillis.From(record.NotBefore)),
        ("not_after", UnixMillis.From(record.NotAfter)),
        ("issued_at", UnixMillis.From(record.IssuedAt)),
        ("request_id", record.RequestId),
        ("status", StatusText.Of(record.Status)),
        ("revoked_at", record.RevokedAt is { } revokedAt ? UnixMillis.From(revokedAt) : null),
        ("revocation_reason", record.RevocationReason is { } reason ? (long)reason : null),
        ("der", record.Der),
    ];
}
