using EstServer.Core.Lifecycle;

namespace EstServer.Host.Admin;

/// <summary>One audit row as /admin/v1/audit shows it.</summary>
public sealed record AuditEntryJson(DateTimeOffset At, string Actor, string Action, string Target, string Detail)
{
    public static AuditEntryJson From(AuditEntry entry) => new(entry.At, entry.Actor, entry.Action, entry.Target, entry.Detail);
}
