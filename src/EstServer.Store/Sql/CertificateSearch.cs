using System.Text;
using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>The admin's reads of issued certificates: searches (without DER) and one by serial (with it).</summary>
internal sealed class CertificateSearch(StoreDatabase database)
{
    /// <summary>
    /// The filters of <paramref name="query"/> that are set, ANDed; newest first (issued_at, then serial),
    /// at most <see cref="CertificateQuery.MaxLimit"/>. ExpiringBefore means good and notAfter in
    /// (now, ExpiringBefore]. SubjectContains folds case for ASCII on SQLite and fully on PostgreSQL.
    /// </summary>
    public IReadOnlyList<CertificateRecord> Search(CertificateQuery query, DateTimeOffset now)
    {
        int limit = Math.Clamp(query.Limit, 0, CertificateQuery.MaxLimit);
        if (limit == 0)
        {
            return [];
        }

        var where = new List<string>();
        var parameters = new List<(string Name, object? Value)> { ("limit", (long)limit) };
        if (query.DeviceIdentity is { } device)
        {
            where.Add("c.device_identity = @device");
            parameters.Add(("device", device));
        }

        if (query.SubjectContains is { } text)
        {
            where.Add($"c.subject {database.LikeIgnoringCase} @subject ESCAPE '\\'");
            parameters.Add(("subject", "%" + EscapeLike(text) + "%"));
        }

        if (query.Profile is { } profile)
        {
            where.Add("c.profile = @profile");
            parameters.Add(("profile", profile));
        }

        if (query.Status is { } status)
        {
            where.Add("c.status = @status");
            parameters.Add(("status", StatusText.Of(status)));
        }

        if (query.ExpiringBefore is { } before)
        {
            where.Add("c.status = 'good' AND c.not_after > @now AND c.not_after <= @before");
            parameters.Add(("now", UnixMillis.From(now)));
            parameters.Add(("before", UnixMillis.From(before)));
        }

        var sql = new StringBuilder("SELECT ").Append(CertificateRows.Columns).Append(" FROM certificates c");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" ORDER BY c.issued_at DESC, c.serial DESC LIMIT @limit");
        return database.Read(connection => SqlCommands.List(connection, null, sql.ToString(), CertificateRows.Read, parameters.ToArray()));
    }

    /// <summary>The certificate with this serial and its DER; the newest if two issuers used the serial.</summary>
    public CertificateRecord? Get(string serial) =>
        database.Read(connection => SqlCommands.First(
            connection,
            null,
            $"SELECT {CertificateRows.ColumnsWithDer} FROM certificates c WHERE c.serial = @serial ORDER BY c.issued_at DESC LIMIT 1",
            CertificateRows.Read,
            ("serial", serial)));

    /// <summary>The text matched literally: LIKE's wildcards and the escape character itself are escaped.</summary>
    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
