namespace EstServer.Host.Configuration;

/// <summary>The "Est:Metrics" section.</summary>
public sealed record MetricsOptions
{
    /// <summary>Serve Prometheus metrics at /metrics on the host (no client certificate needed).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A signer worker has no HTTP server of its own; it serves /metrics on this port (0: off).</summary>
    public int SignerPort { get; init; } = 9464;
}
