using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Host.Observability;

namespace EstServer.Host.Http;

/// <summary>
/// The one place a refused request is answered and accounted for, whichever stage refused it (an
/// endpoint, the rate limiter, the last-resort middleware): the answer through
/// <see cref="EstErrorResponder"/>, one log line and est_rejections_total. The line goes to the
/// caller's logger, so its category still names the stage that decided.
/// </summary>
public static partial class EstRefusalWriter
{
    /// <param name="operation">The metric's operation label: the EST operation, or the stage that refused (rate_limit).</param>
    /// <param name="exception">What made an internal error; logged with it, in full, and never shown to the client.</param>
    public static Task WriteAsync(HttpContext context, string operation, EstError error, ILogger logger, Exception? exception = null)
    {
        int status = EstErrorResponder.StatusCode(error.Kind);
        EstMetrics.Rejections.WithLabels(operation, EstMetrics.Reason(error.Kind)).Inc();
        string label = context.Request.RouteValues["label"] as string ?? "";
        string client = context.Connection.ClientCertificate is { } certificate ? Requester.Describe(certificate) : "(no client certificate)";
        string remote = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (error.Kind == EstErrorKind.Internal)
        {
            LogFailed(logger, exception, operation, context.Request.Method, context.Request.Path, status, label, client, remote);
        }
        else
        {
            LogRefused(logger, operation, context.Request.Method, context.Request.Path, status, error.Reason, label, client, remote);
        }

        // Once the answer has begun it cannot be replaced; Kestrel ends the connection instead.
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        // The refusal is the whole answer: nothing a later stage had set survives it.
        context.Response.Clear();
        return EstErrorResponder.WriteAsync(context, error);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "EST {Operation} {Method} {Path} refused with {Status}: {Reason}; label='{Label}' client {Client} from {Remote}")]
    private static partial void LogRefused(ILogger logger, string operation, string method, string path, int status, string reason, string label, string client, string remote);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
        Message = "EST {Operation} {Method} {Path} failed with {Status}: unhandled exception; label='{Label}' client {Client} from {Remote}")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string operation, string method, string path, int status, string label, string client, string remote);
}
