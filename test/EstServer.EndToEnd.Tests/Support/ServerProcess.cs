using System.Diagnostics;
using System.Runtime.InteropServices;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// The built server binary run as its own process (dotnet estserver.dll ...): an EST host or a signer
/// worker, its output collected line by line so a test can wait for what it prints, and signals for the
/// fault tests. Nothing from the test run's own environment configures it. Disposing kills it if it is
/// still running.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>How much of each stream <see cref="Describe"/> shows: a scale-out run prints thousands of lines.</summary>
    private const int DescribedLines = 100;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly List<Waiter> _waiters = [];
    private bool _outputEnded;

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>What the test calls it (server, host, worker-1, ...).</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>The repository's own config/ (estserver.json and the shipped profiles), as ./scripts/run.sh serves it.</summary>
    public static string RepositoryConfigDirectory => Path.Combine(RepositoryPaths.Root, "config");

    /// <param name="name">What the test calls it, in failure messages.</param>
    /// <param name="workingDirectory">Its current directory: ./data unless EST_DATA_DIR or Est:DataDir say otherwise.</param>
    /// <param name="configDirectory">EST_CONFIG_DIR: estserver.json and profiles/.</param>
    /// <param name="environment">Variables set on top of the isolated environment (e.g. Est__Redis).</param>
    public static ServerProcess Start(
        string name,
        string workingDirectory,
        string configDirectory,
        IReadOnlyDictionary<string, string>? environment,
        IEnumerable<string> arguments)
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
        foreach ((string variable, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable] = value;
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(name, process);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public int Count(Func<string, bool> match)
    {
        lock (_output)
        {
            return _output.Count(match);
        }
    }

    /// <summary>
    /// The first output line from line <paramref name="fromLine"/> on that matches, waiting for it; fails
    /// if the output ends or the time runs out first.
    /// </summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int fromLine = 0) => WaitForLinesAsync(match, 1, timeout, fromLine);

    /// <summary>Waits until <paramref name="count"/> lines in all (from line <paramref name="fromLine"/> on) have matched; returns the last of them.</summary>
    public async Task<string> WaitForLinesAsync(Func<string, bool> match, int count, TimeSpan timeout, int fromLine = 0)
    {
        var waiter = new Waiter(match, count, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_output)
        {
            foreach (string line in _output.Skip(fromLine))
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
            return await waiter.Found.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not print the expected line within {timeout}\n{Describe()}");
        }
    }

    /// <summary>Asks for a graceful shutdown (SIGTERM) and waits for the exit code.</summary>
    public async Task<int> StopGracefullyAsync()
    {
        Signal(SigTerm);
        using var cancellation = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown, no flushing, no goodbye to Redis.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var cancellation = new CancellationTokenSource(StopTimeout);
        await _process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
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

    /// <summary>The last lines of both streams, for failure messages.</summary>
    public string Describe()
    {
        string Tail(List<string> lines)
        {
            lock (lines)
            {
                return string.Join('\n', lines.TakeLast(DescribedLines));
            }
        }

        return $"--- {Name} (pid {_process.Id}) stdout, last lines ---\n{Tail(_output)}\n--- {Name} stderr ---\n{Tail(_error)}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
        }
    }

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
