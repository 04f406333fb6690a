using System.Data.Common;
using EstServer.Core.Lifecycle;

namespace EstServer.Store.Sql;

/// <summary>The audit table: appended inside the transaction of the change it records, read newest first.</summary>
internal sealed class AuditLog(StoreDatabase database)
{
    public const string Revoke = "revoke";

    public const string Block = "block";

    public const string Unblock = "unblock";

    public static void Append(DbConnection connection, DbTransaction transaction, AuditEntry entry) =>
        SqlCommands.Execute(
            connection,
            transaction,
            "INSERT INTO audit (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail)",
            ("at", UnixMillis.From(entry.At)),
            ("actor", entry.Actor),
            ("action", entry.Action),
            ("target", entry.Target),
            ("detail", entry.Detail));

    public IReadOnlyList<AuditEntry> Trail(int limit) =>
        limit <= 0
            ? []
            : database.Read(connection => SqlCommands.List(
                connection,
                null,
                "SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT @limit",
                reader => new AuditEntry(UnixMillis.To(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                ("limit", (long)limit)));
}
