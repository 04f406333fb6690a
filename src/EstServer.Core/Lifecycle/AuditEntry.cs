namespace EstServer.Core.Lifecycle;

/// <summary>One administrative action as the audit table keeps it: who did what to which certificate or device, and when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Target, string Detail);
