using System.Diagnostics;
using System.Runtime.InteropServices;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// The built server binary (dotnet estserver.dll ...) as a process of its own, host or signer worker,
/// its output kept line by line so a test can wait for what it prints. Disposing kills it.
/// </summary>
public sealed class ScaleOutProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly List<Waiter> _waiters = [];
    private bool _outputEnded;

    private ScaleOutProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>What the test calls it (host, worker-1, ...).</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static ScaleOutProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetPath)
        {
            WorkingDirectory = environment["EST_DATA_DIR"],
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

        // Nothing from the test run's own environment may configure the server.
        foreach (string variable in info.Environment.Keys.ToList())
        {
            if (variable.StartsWith("Est__", StringComparison.OrdinalIgnoreCase)
                || variable.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || variable.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
                || variable is "EST_DATA_DIR" or "EST_CONFIG_DIR" or "DOTNET_URLS" or "DOTNET_ENVIRONMENT")
            {
                info.Environment.Remove(variable);
            }
        }

        foreach ((string variable, string value) in environment)
        {
            info.Environment[variable] = value;
        }

        var process = new Process { StartInfo = info };
        var started = new ScaleOutProcess(name, process);
        process.OutputDataReceived += (_, e) => started.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    private static string DotnetPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public int Count(Func<string, bool> match)
    {
        lock (_output)
        {
            return _output.Count(match);
        }
    }

    /// <summary>The first matching output line, waiting for it; fails if the output ends or the time runs out first.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout) => WaitForLinesAsync(match, 1, timeout);

    /// <summary>Waits until <paramref name="count"/> lines in all have matched; returns the last of them.</summary>
    public async Task<string> WaitForLinesAsync(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var waiter = new Waiter(match, count, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_output)
        {
            foreach (string line in _output)
            {
                if (waiter.Offer(line))
                {
                    return line;
                }
            }

            if (_outputEnded)
            {
                throw new InvalidOperationException($"{Name} exited without printing the expected line\n{Describe()}");
            }

            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not print the expected line within {timeout}\n{Describe()}");
        }
    }

    /// <summary>kill -9: no shutdown, no flushing, no goodbye to Redis.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cancellation.Token);
    }

    /// <summary>kill -STOP: freezes the process where it stands; returns once the kernel reports it stopped.</summary>
    public void Freeze()
    {
        Signal(SigStop);
        var waited = Stopwatch.StartNew();
        while (State() is not ('T' or 't' or 'Z' or null))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"{Name} did not stop");
            }

            Thread.Yield();
        }
    }

    /// <summary>kill -CONT: lets a frozen process go on.</summary>
    public void Thaw() => Signal(SigCont);

    private const int SigStop = 19;
    private const int SigCont = 18;

    private void Signal(int signal)
    {
        if (!_process.HasExited && NativeMethods.Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The process state letter from /proc/PID/stat (R, S, T stopped, Z...), null once it is gone.</summary>
    private char? State()
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0];
        }
        catch (IOException)
        {
            return null;
        }
    }

    public string Describe()
    {
        string Tail(List<string> lines)
        {
            lock (lines)
            {
                return string.Join('\n', lines.TakeLast(60));
            }
        }

        return $"--- {Name} (pid {_process.Id}) stdout, last lines ---\n{Tail(_output)}\n--- {Name} stderr ---\n{Tail(_error)}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        List<Waiter> ended = [];
        lock (_output)
        {
            if (line is null)
            {
                _outputEnded = true;
                ended.AddRange(_waiters);
                _waiters.Clear();
            }
            else
            {
                _output.Add(line);
                _waiters.RemoveAll(waiter => waiter.Offer(line));
            }
        }

        foreach (Waiter waiter in ended)
        {
            waiter.Found.TrySetException(new InvalidOperationException($"{Name} exited without printing the expected line\n{Describe()}"));
        }
    }

    private void OnError(string? line)
    {
        if (line is not null)
        {
            lock (_error)
            {
                _error.Add(line);
            }
        }
    }

    private sealed class Waiter(Func<string, bool> match, int count, TaskCompletionSource<string> found)
    {
        private int _missing = count;

        public TaskCompletionSource<string> Found => found;

        /// <returns>true when this line completed the wait.</returns>
        public bool Offer(string line) => match(line) && --_missing == 0 && found.TrySetResult(line);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int pid, int signal);
    }
}
