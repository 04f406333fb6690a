using System.Diagnostics;
using NUnit.Framework;

namespace EstServer.TestSupport;

/// <summary>
/// Runs the openssl command-line tool: an implementation independent of both BouncyCastle and .NET,
/// so a certificate both of them agree on is also checked by a third party.
/// </summary>
public static class OpenSsl
{
    /// <summary>Runs openssl and fails the test with its stderr if it does not succeed; returns its stdout.</summary>
    public static string RunOk(params string[] arguments)
    {
        (int exitCode, string output, string error) = Run(arguments);
        Assert.That(exitCode, Is.Zero, $"openssl {string.Join(' ', arguments)} failed: {error}{output}");
        return output;
    }

    /// <summary>Runs openssl and returns its exit code, stdout and stderr, for tests that expect it to refuse.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        // Both pipes are drained concurrently so a chatty stderr cannot block the process.
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
