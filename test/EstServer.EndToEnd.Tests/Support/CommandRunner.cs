using System.Diagnostics;
using System.Text;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Runs a program to completion, with no standard input, collecting its output; killed if it hangs.</summary>
public static class CommandRunner
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="command"/> with bash -c, as a user pasting it into a shell would.</summary>
    public static Task<CommandResult> BashAsync(string command, string workingDirectory, TimeSpan? timeout = null) =>
        RunAsync("bash", ["-c", command], workingDirectory, timeout, displayed: command);

    /// <summary>Runs the built estserver binary with its environment isolated to <paramref name="configDirectory"/> (default timeout 60 s).</summary>
    public static Task<CommandResult> EstServerAsync(string workingDirectory, string configDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        RunAsync(DotnetHost.Path, arguments.Prepend(EstServer.TestSupport.RepositoryPaths.ServerAssembly), workingDirectory, timeout,
            environment: env => DotnetHost.IsolateEnvironment(env, configDirectory));

    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan? timeout = null,
        string? displayed = null,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        environment?.Invoke(info.Environment);
        string shown = displayed ?? string.Join(' ', info.ArgumentList.Prepend(fileName));
        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw new TimeoutException($"`{shown}` did not finish; output so far:\n{Text(output)}\n{Text(error)}");
        }

        return new CommandResult(shown, process.ExitCode, Text(output), Text(error));
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
