using EstServer.Host.Cli;
using EstServer.Host.Configuration;
using EstServer.Host.Startup;
using Microsoft.Extensions.Options;

/// <summary>
/// estserver [serve] [ASP.NET options]   runs the EST server (default https://localhost:8443)
/// estserver signer [options]             runs a signer worker (needs Est:Redis): takes jobs from Redis, holds the CA key
/// estserver dev-device NAME [--count N]  mints demo device identities for tests and load runs
/// estserver profiles check [DIR] [...]   validates certificate-policy profiles, optionally with a dry run
/// estserver probe [URL]                  health check for containers: exit 0 when URL answers 200
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "dev-device")
        {
            return RunCommand(() => DevDeviceCommand.Run(args[1..], Console.Out, Console.Error));
        }

        if (args.Length > 0 && args[0] == "profiles")
        {
            return RunCommand(() => ProfilesCommand.Run(args[1..], Console.Out, Console.Error));
        }

        if (args.Length > 0 && args[0] == "probe")
        {
            return await ProbeCommand.RunAsync(args[1..], Console.Error).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "signer")
        {
            try
            {
                IHost signer = SignerApplication.Build(args[1..]);
                await signer.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception exception) when (StartupProblem(exception) is { } problem)
            {
                await Console.Error.WriteLineAsync($"estserver signer: cannot start: {problem}").ConfigureAwait(false);
                return 2;
            }
        }

        string[] serveArgs = args.Length > 0 && args[0] == "serve" ? args[1..] : args;
        try
        {
            WebApplication app = EstServerApplication.Build(serveArgs);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception exception) when (StartupProblem(exception) is { } problem)
        {
            await Console.Error.WriteLineAsync($"estserver: cannot start: {problem}").ConfigureAwait(false);
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
