namespace EstServer.Host.Admin;

/// <summary>
/// One log line per admin change, beside the audit row the store writes in the change's transaction:
/// the row is the record, the line lets log pipelines alert on it.
/// </summary>
public static partial class AdminAuditLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Admin {Actor} did {Action} on {Target}: {Reason}")]
    public static partial void Changed(ILogger logger, string actor, string action, string target, string reason);
}
