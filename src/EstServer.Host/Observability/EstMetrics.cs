using Prometheus;

namespace EstServer.Host.Observability;

/// <summary>
/// The Prometheus metrics of hosts and signer workers (text exposition at /metrics). Label values are
/// bounded sets: operations, configured labels, status codes, error kinds, profile names; never
/// anything a client chose.
/// </summary>
public static class EstMetrics
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public static readonly Counter Requests = Metrics.CreateCounter(
        "est_requests_total", "EST requests by operation, label and HTTP status.", "operation", "label", "status");

    public static readonly Histogram RequestDuration = Metrics.CreateHistogram(
        "est_request_duration_seconds", "Time from request start to response, by EST operation (enrollment latency for simpleenroll/simplereenroll).",
        new HistogramConfiguration { LabelNames = ["operation"], Buckets = LatencyBuckets });

    public static readonly Counter Rejections = Metrics.CreateCounter(
        "est_rejections_total", "EST requests refused, by operation and reason (error kind).", "operation", "reason");

    public static readonly Counter Issued = Metrics.CreateCounter(
        "est_certificates_issued_total", "Certificates signed by this process, by profile.", "profile");

    public static readonly Counter SigningRefused = Metrics.CreateCounter(
        "est_signing_refused_total", "Signing jobs the signer refused, by reason (error kind).", "reason");

    public static readonly Histogram SigningDuration = Metrics.CreateHistogram(
        "est_signing_duration_seconds", "Time the signer spent on one job (re-check, build, sign).",
        new HistogramConfiguration { Buckets = LatencyBuckets });

    public static readonly Gauge QueueDepth = Metrics.CreateGauge(
        "est_queue_depth", "Signing jobs accepted and not yet signed.");

    public static readonly Gauge QueueOldestPending = Metrics.CreateGauge(
        "est_queue_oldest_pending_seconds", "Age of the oldest signing job not yet signed (0 when none).");

    public static readonly Gauge SignerWorkers = Metrics.CreateGauge(
        "est_signer_workers", "Signer workers alive (heartbeat seen within three intervals); Redis mode only.");

    /// <summary>A label value for an error kind: bad_request, forbidden, ...</summary>
    public static string Reason(EstServer.Core.Errors.EstErrorKind kind) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
