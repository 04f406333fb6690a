namespace EstServer.Host.Startup;

/// <summary>
/// Holds back the generic host's own error lines until the application has started. A start-up
/// failure then reaches Main, which prints it as one line (or, when it is not a known configuration
/// problem, lets the runtime print it in full), instead of also being logged as the host's
/// thirty-line "Hosting failed to start". Critical lines, such as a background service stopping the
/// host, always pass.
/// </summary>
public sealed class StartupLogFilter
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    public void AddTo(ILoggingBuilder logging) =>
        // A filter rule of its own replaces the category's minimum level, so it applies the default one.
        logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (_started || level >= LogLevel.Critical));

    public void Watch(IHostApplicationLifetime lifetime) => lifetime.ApplicationStarted.Register(() => _started = true);
}
