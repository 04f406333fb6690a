using EstServer.Host.Cli;
using EstServer.Host.Configuration;
using EstServer.Host.Startup;
using Microsoft.Extensions.Options;

/// <summary>The estserver command line: one verb, or none for the server; see <see cref="Usage"/>.</summary>
public sealed class Program
{
    public const string Usage =
        """
        usage: estserver [serve] [ASP.NET options]   runs the EST server (default https://localhost:8443)
               estserver signer [options]             runs a signer worker (needs Est:Redis): takes jobs from Redis, holds the CA key
               estserver dev-device NAME [--count N]  mints demo device identities for tests and load runs
               estserver profiles check [DIR] [...]   validates certificate-policy profiles, optionally with a dry run
               estserver probe [URL]                  health check for containers: exit 0 when URL answers 200
               estserver certs list|show|revoke ...   searches, shows and revokes issued certificates (see estserver certs)
               estserver devices block|unblock ...    stops a device from enrolling and revokes its certificates, or lets it again
        options are configuration settings: --Est:Name=value, --Est:Name value or Est:Name=value
        """;

    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        bool named = args.Length > 0 && IsVerb(args[0]);
        string verb = named ? args[0] : "serve";
        string[] rest = named ? args[1..] : args;
        switch (verb)
        {
            case "serve":
                return await RunHostAsync("estserver", () => EstServerApplication.RunAsync(EstServerApplication.Build(rest))).ConfigureAwait(false);
            case "signer":
                return await RunHostAsync("estserver signer", () => SignerApplication.Build(rest).RunAsync()).ConfigureAwait(false);
            case "dev-device":
                return RunCommand(() => DevDeviceCommand.Run(rest, Console.Out, Console.Error));
            case "profiles":
                return RunCommand(() => ProfilesCommand.Run(rest, Console.Out, Console.Error));
            case "certs":
                return RunCommand(() => CertsCommand.Run(rest, Console.Out, Console.Error));
            case "devices":
                return RunCommand(() => DevicesCommand.Run(rest, Console.Out, Console.Error));
            case "probe":
                return await ProbeCommand.RunAsync(rest, Console.Error).ConfigureAwait(false);
            default:
                // A mistyped verb would otherwise be taken for a configuration argument and start a server.
                await Console.Error.WriteLineAsync($"estserver: unknown command '{verb}'").ConfigureAwait(false);
                await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
        }
    }

    /// <summary>Configuration arguments start with '-' (--Est:Name) or hold '=' (Est:Name=value); anything else names a command.</summary>
    private static bool IsVerb(string argument) => !argument.StartsWith('-') && !argument.Contains('=', StringComparison.Ordinal);

    private static async Task<int> RunHostAsync(string name, Func<Task> run)
    {
        try
        {
            await run().ConfigureAwait(false);
            return 0;
        }
        catch (Exception exception) when (StartupProblem(exception) is { } problem)
        {
            await Console.Error.WriteLineAsync($"{name}: cannot start: {problem}").ConfigureAwait(false);
            return 2;
        }
    }

    private static int RunCommand(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception exception) when (StartupProblem(exception) is { } problem)
        {
            Console.Error.WriteLine($"estserver: {problem}");
            return 2;
        }
    }

    /// <summary>Configuration mistakes end start-up with their message only; anything else keeps its stack trace.</summary>
    private static string? StartupProblem(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case EstConfigurationException configuration:
                    return configuration.Message;
                case OptionsValidationException validation:
                    return string.Join("; ", validation.Failures);
            }
        }

        return null;
    }
}
