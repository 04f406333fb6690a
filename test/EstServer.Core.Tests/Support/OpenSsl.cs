using System.Diagnostics;

namespace EstServer.Core.Tests.Support;

/// <summary>
/// Runs the openssl command-line tool: an implementation independent of both BouncyCastle and .NET,
/// so a certificate both of them agree on is also checked by a third party.
/// </summary>
internal static class OpenSsl
{
    private const string Executable = "/usr/bin/openssl";

    public static OpenSslResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
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

        return new OpenSslResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>Runs openssl and fails the test with its stderr if it does not succeed.</summary>
    public static string RunOk(params string[] arguments)
    {
        OpenSslResult result = Run(arguments);
        Assert.That(result.ExitCode, Is.Zero, $"openssl {string.Join(' ', arguments)} failed: {result.StandardError}{result.StandardOutput}");
        return result.StandardOutput;
    }
}
