using EstServer.Core.Lifecycle;
using EstServer.Host.Configuration;
using EstServer.Host.Startup;
using EstServer.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Host.Cli;

/// <summary>
/// The certificate store as the admin verbs reach it: opened from the server's own configuration
/// (config/estserver.json, Est__ environment variables, EST_DATA_DIR, --Est: arguments) through the
/// same <see cref="CertificateStoreServices.Open"/>, so a running host sees every change on its next read.
/// </summary>
public static class CliStore
{
    /// <summary>Who the audit rows name for a change made here.</summary>
    public static string Actor =>
        $"cli:{(Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : Environment.UserName)}@{Environment.MachineName}";

    public static EstOptions LoadOptions(IReadOnlyList<string> settings)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
        EstServerApplication.AddConfigFile(configuration);
        configuration.AddCommandLine([.. settings]);
        return configuration.Build().GetSection(EstOptions.Section).Get<EstOptions>() ?? new EstOptions();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the store; a configuration problem or an unreachable store is
    /// one line on <paramref name="error"/> and exit code 2.
    /// </summary>
    public static int Run(string verb, IReadOnlyList<string> settings, TimeProvider time, TextWriter error, Func<ICertificateAdmin, int> work)
    {
        try
        {
            using SqlCertificateStore store = CertificateStoreServices.Open(LoadOptions(settings), time, NullLoggerFactory.Instance);
            return work(store);
        }
        catch (EstConfigurationException exception)
        {
            error.WriteLine($"estserver {verb}: {exception.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        catch (StoreUnavailableException exception)
        {
            error.WriteLine($"estserver {verb}: the certificate store is unavailable: {exception.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        catch (InvalidOperationException exception) when (exception.InnerException is FormatException)
        {
            // A setting that does not bind (Est:RetryAfter=soon) fails when the options are read.
            error.WriteLine($"estserver {verb}: {exception.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
    }
}
