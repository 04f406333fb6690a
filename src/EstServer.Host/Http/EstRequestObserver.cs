using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Observability;

namespace EstServer.Host.Http;

/// <summary>
/// Wraps every EST request: a logging scope with the request id and the client certificate's subject
/// and SHA-256 thumbprint (so every log line of the request carries them), and the request metrics.
/// </summary>
public sealed partial class EstRequestObserver(RequestDelegate next, ILogger<EstRequestObserver> logger)
{
    /// <summary>Set by the EST endpoints once they know which operation and which configured label a request is for.</summary>
    public const string OperationItem = "est.operation";

    public const string LabelItem = "est.label";

    public async Task InvokeAsync(HttpContext context)
    {
        if (EstOperationMetadata.Of(context) is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        long started = Stopwatch.GetTimestamp();
        X509Certificate2? client = context.Connection.ClientCertificate;
        using (logger.BeginScope(new RequestScope(
            context.TraceIdentifier,
            client?.Subject ?? "",
            client is null ? "" : Convert.ToHexStringLower(client.GetCertHash(HashAlgorithmName.SHA256)))))
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                string operation = context.Items[OperationItem] as string ?? "unknown";
                string label = context.Items[LabelItem] as string ?? "";
                TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                EstMetrics.Requests.WithLabels(operation, label, StatusText(context.Response.StatusCode)).Inc();
                EstMetrics.RequestDuration.WithLabels(operation).Observe(elapsed.TotalSeconds);
                LogRequest(logger, context.Request.Method, operation, label, context.Response.StatusCode, elapsed.TotalMilliseconds);
            }
        }
    }

    private static string StatusText(int status) => status switch
    {
        200 => "200", 202 => "202", 400 => "400", 401 => "401", 403 => "403", 404 => "404", 405 => "405",
        413 => "413", 415 => "415", 429 => "429", 500 => "500", 503 => "503",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Structured scope: JSON logs show it as fields, text logs as "RequestId:… ClientSubject:…".</summary>
    private sealed class RequestScope(string requestId, string clientSubject, string clientThumbprint) : IReadOnlyList<KeyValuePair<string, object>>
    {
        private readonly KeyValuePair<string, object>[] _fields =
        [
            new("RequestId", requestId),
            new("ClientSubject", clientSubject),
            new("ClientSha256", clientThumbprint),
        ];

        public int Count => _fields.Length;

        public KeyValuePair<string, object> this[int index] => _fields[index];

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)_fields).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _fields.GetEnumerator();

        public override string ToString() => $"RequestId:{_fields[0].Value} ClientSubject:{_fields[1].Value} ClientSha256:{_fields[2].Value}";
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "EST {Method} {Operation} label='{Label}' answered {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string operation, string label, int status, double elapsedMs);
}
