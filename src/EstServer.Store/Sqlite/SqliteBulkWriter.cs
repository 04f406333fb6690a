using System.Data.Common;
using EstServer.Core.Lifecycle;
using EstServer.Store.Sql;

namespace EstServer.Store.Sqlite;

/// <summary>
/// Inserts a batch of certificates and their key claims in one transaction with two
/// prepared statements whose parameters are rebound per row: SQLite's fastest path short of
/// dropping indexes. For <see cref="CertificateStoreSeeder"/> only.
/// </summary>
internal static class SqliteBulkWriter
{
    public static void Write(SqliteDatabase database, IReadOnlyList<CertificateRecord> batch) =>
        database.Write((connection, transaction) =>
        {
            using DbCommand certificate = Prepare(connection, transaction, CertificateRows.Insert, CertificateRows.Parameters(batch[0]));
            using DbCommand claim = Prepare(connection, transaction, "INSERT INTO key_claims (spki_sha256, owner, until) VALUES (@spki, @owner, @until)", Claim(batch[0]));
            foreach (CertificateRecord record in batch)
            {
                Run(certificate, CertificateRows.Parameters(record));
                Run(claim, Claim(record));
            }

            return batch.Count;
        });

    private static (string, object?)[] Claim(CertificateRecord record) =>
        [("spki", record.SpkiSha256), ("owner", record.Subject), ("until", UnixMillis.From(record.NotAfter))];

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, (string Name, object? Value)[] shape)
    {
        DbCommand command = SqlCommands.Create(connection, transaction, sql, shape);
        command.Prepare();
        return command;
    }

    private static void Run(DbCommand command, (string Name, object? Value)[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i].Value ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
