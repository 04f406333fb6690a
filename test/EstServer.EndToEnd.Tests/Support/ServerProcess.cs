using System.Diagnostics;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The built server binary run as its own process (dotnet estserver.dll ...), its output collected line
/// by line so a test can wait for what it prints. Disposing kills it if it is still running.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private bool _outputEnded;

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_error)
            {
                return string.Join('\n', _error);
            }
        }
    }

    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_output)
            {
                return _output.ToList();
            }
        }
    }

    /// <summary>The repository's own config/ (estserver.json and the shipped profiles), as ./scripts/run.sh serves it.</summary>
    public static string RepositoryConfigDirectory => Path.Combine(RepositoryPaths.Root, "config");

    /// <summary>The https://127.0.0.1:PORT the server printed in its ready line.</summary>
    public Uri BaseAddress => new(PrintedInstructions.Parse(OutputLines).EstRoot.GetLeftPart(UriPartial.Authority));

    /// <summary>Starts the server with no EST_DATA_DIR (so ./data) and EST_CONFIG_DIR at <paramref name="configDirectory"/>.</summary>
    public static ServerProcess Start(string workingDirectory, string configDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost.Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.ServerAssembly);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        DotnetHost.IsolateEnvironment(info.Environment, configDirectory);
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>How many output lines have been printed so far (to wait only for lines printed after a step).</summary>
    public int LineCount
    {
        get
        {
            lock (_output)
            {
                return _output.Count;
            }
        }
    }

    /// <summary>
    /// The first output line from line <paramref name="fromLine"/> on that matches, waiting for it; fails
    /// if the output ends or the time runs out first.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int fromLine = 0)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            string? existing = _output.Skip(fromLine).FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            if (_outputEnded)
            {
                throw new InvalidOperationException($"the server's output ended without the expected line\n{Describe()}");
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server printed no expected line within {timeout}\n{Describe()}");
        }
    }

    /// <summary>Asks for a graceful shutdown (SIGTERM to this process id) and waits for the exit code.</summary>
    public async Task<int> StopGracefullyAsync()
    {
        CommandResult signal = await CommandRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Path.GetTempPath()).ConfigureAwait(false);
        Assert.That(signal.ExitCode, Is.Zero, signal.ToString());
        using var cancellation = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public string Describe() => $"--- server stdout ---\n{StandardOutput}\n--- server stderr ---\n{StandardError}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cancellation = new CancellationTokenSource(StopTimeout);
            await _process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        List<TaskCompletionSource<string>> ended = [];
        lock (_output)
        {
            if (line is null)
            {
                _outputEnded = true;
                ended.AddRange(_waiters.Select(w => w.Found));
                _waiters.Clear();
            }
            else
            {
                _output.Add(line);
                foreach ((Func<string, bool> match, TaskCompletionSource<string> found) in _waiters.Where(w => w.Match(line)).ToList())
                {
                    found.TrySetResult(line);
                    _waiters.Remove((match, found));
                }
            }
        }

        foreach (TaskCompletionSource<string> waiter in ended)
        {
            waiter.TrySetException(new InvalidOperationException($"the server's output ended without the expected line\n{Describe()}"));
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_error)
        {
            _error.Add(line);
        }
    }
}
