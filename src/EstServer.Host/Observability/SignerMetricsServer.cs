using EstServer.Host.Configuration;
using Microsoft.Extensions.Options;
using Prometheus;

namespace EstServer.Host.Observability;

/// <summary>
/// A signer worker's /metrics (it has no HTTP server otherwise), on Est:Metrics:SignerPort. Several
/// workers on one machine need different ports; a port already taken is logged, not fatal: signing
/// matters more than its metrics.
/// </summary>
public sealed partial class SignerMetricsServer(IOptions<EstOptions> options, ILogger<SignerMetricsServer> logger) : IHostedService
{
    private IMetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        int port = options.Value.Metrics.SignerPort;
        if (port == 0)
        {
            return Task.CompletedTask;
        }

        try
        {
            _server = new KestrelMetricServer(port: port).Start();
            LogListening(logger, port);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            LogPortTaken(logger, port, exception.Message);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Signer metrics at http://*:{Port}/metrics")]
    private static partial void LogListening(ILogger logger, int port);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Signer metrics not served: port {Port} unavailable ({Message}); set Est:Metrics:SignerPort")]
    private static partial void LogPortTaken(ILogger logger, int port, string message);
}
