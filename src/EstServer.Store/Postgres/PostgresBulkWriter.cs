using EstServer.Core.Lifecycle;
using EstServer.Store.Sql;
using Npgsql;
using NpgsqlTypes;

namespace EstServer.Store.Postgres;

/// <summary>
/// Inserts a batch of certificates and their key claims with binary COPY, in one
/// transaction: PostgreSQL's fastest bulk path. For <see cref="CertificateStoreSeeder"/> only.
/// </summary>
internal static class PostgresBulkWriter
{
    public static void Write(PostgresDatabase database, IReadOnlyList<CertificateRecord> batch) => database.Guard(() =>
    {
        using NpgsqlConnection connection = database.OpenRaw();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        CopyCertificates(connection, batch);
        using (NpgsqlBinaryImporter claims = connection.BeginBinaryImport("COPY key_claims (spki_sha256, owner, until) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (CertificateRecord record in batch)
            {
                claims.WriteRow(record.SpkiSha256, record.Subject, UnixMillis.From(record.NotAfter));
            }

            claims.Complete();
        }

        transaction.Commit();
        return batch.Count;
    });

    private static void CopyCertificates(NpgsqlConnection connection, IReadOnlyList<CertificateRecord> batch)
    {
        using NpgsqlBinaryImporter importer = connection.BeginBinaryImport(
            "COPY certificates (serial, issuer_key_id, issuer, subject, subject_alt_names, spki_sha256, requester_subject, " +
            "requester_thumbprint, device_identity, profile, profile_version, kind, renews_serial, not_before, not_after, issued_at, " +
            "request_id, status, revoked_at, revocation_reason, der) FROM STDIN (FORMAT BINARY)");
        foreach (CertificateRecord record in batch)
        {
            importer.StartRow();
            foreach (string text in new[]
            {
                record.Serial, record.IssuerKeyId, record.Issuer, record.Subject, record.SubjectAltNames, record.SpkiSha256,
                record.RequesterSubject, record.RequesterThumbprint, record.DeviceIdentity, record.Profile, record.ProfileVersion, record.Kind,
            })
            {
                importer.Write(text, NpgsqlDbType.Text);
            }

            WriteNullable(importer, record.RenewsSerial, NpgsqlDbType.Text);
            importer.Write(UnixMillis.From(record.NotBefore), NpgsqlDbType.Bigint);
            importer.Write(UnixMillis.From(record.NotAfter), NpgsqlDbType.Bigint);
            importer.Write(UnixMillis.From(record.IssuedAt), NpgsqlDbType.Bigint);
            importer.Write(record.RequestId, NpgsqlDbType.Text);
            importer.Write(StatusText.Of(record.Status), NpgsqlDbType.Text);
            WriteNullable(importer, record.RevokedAt is { } at ? UnixMillis.From(at) : null, NpgsqlDbType.Bigint);
            WriteNullable(importer, record.RevocationReason is { } reason ? (long)reason : null, NpgsqlDbType.Bigint);
            importer.Write(record.Der, NpgsqlDbType.Bytea);
        }

        importer.Complete();
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, type);
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, long? value, NpgsqlDbType type)
    {
        if (value is { } number)
        {
            importer.Write(number, type);
        }
        else
        {
            importer.WriteNull();
        }
    }
}
