using EstServer.Core.Lifecycle;
using EstServer.Store.Sql;

namespace EstServer.Store.Sqlite;

/// <summary>
/// Inserts a batch of certificates and their key claims in one transaction. It runs on the group
/// commit's connection, whose statements stay prepared (<see cref="PreparedCommands"/>), so each row
/// is only bound and stepped: SQLite's fastest path short of dropping indexes. For
/// <see cref="CertificateStoreSeeder"/> only.
/// </summary>
internal static class SqliteBulkWriter
{
    private const string InsertClaim = "INSERT INTO key_claims (spki_sha256, owner, until) VALUES (@spki, @owner, @until)";

    public static void Write(SqliteDatabase database, IReadOnlyList<CertificateRecord> batch) =>
        database.Write((connection, transaction) =>
        {
            foreach (CertificateRecord record in batch)
            {
                CertificateRows.InsertRow(connection, transaction, record);
                SqlCommands.Execute(
                    connection, transaction, InsertClaim, ("spki", record.SpkiSha256), ("owner", record.Subject), ("until", UnixMillis.From(record.NotAfter)));
            }

            return batch.Count;
        });
}
