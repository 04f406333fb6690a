using EstServer.Host.Startup;
using EstServer.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace EstServer.Host.Tests.Startup;

/// <summary>The host's own error lines are held back until the application has started; Main reports start-up failures.</summary>
[TestFixture]
public sealed class StartupLogFilterTests
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    [Test]
    public void AddTo_BeforeStart_DropsTheHostsErrorsButKeepsCriticalAndOtherCategories()
    {
        var logs = new CapturedLogs();
        using ServiceProvider provider = Build(logs, out _);
        ILoggerFactory loggers = provider.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger(HostCategory).LogError("Hosting failed to start");
        loggers.CreateLogger(HostCategory).LogCritical("a background service stopped the host");
        loggers.CreateLogger("EstServer.Host.Startup.Anything").LogError("kept");

        Assert.That(logs.Entries.Select(entry => entry.Message), Is.EqualTo(new[] { "a background service stopped the host", "kept" }));
    }

    [Test]
    public void Watch_AfterStart_PassesTheHostsLinesFromInformationUp()
    {
        var logs = new CapturedLogs();
        using ServiceProvider provider = Build(logs, out ApplicationLifetime lifetime);
        ILogger host = provider.GetRequiredService<ILoggerFactory>().CreateLogger(HostCategory);

        lifetime.NotifyStarted();
        host.LogDebug("hosting starting");
        host.LogInformation("hosting started");
        host.LogError("background service failed");

        Assert.That(logs.Entries.Select(entry => entry.Message), Is.EqualTo(new[] { "hosting started", "background service failed" }));
    }

    private static ServiceProvider Build(CapturedLogs logs, out ApplicationLifetime lifetime)
    {
        var filter = new StartupLogFilter();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(logs);
            filter.AddTo(logging);
        });
        ServiceProvider provider = services.BuildServiceProvider();
        lifetime = new ApplicationLifetime(provider.GetRequiredService<ILogger<ApplicationLifetime>>());
        filter.Watch(lifetime);
        return provider;
    }
}
