using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EstServer.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's postgresql package: initdb into a temp directory with
/// trust authentication, the server on a free loopback port with its unix socket in that directory,
/// and no fsync (a test cluster need not survive power loss). Commits stay synchronous, so what was
/// committed survives <see cref="Kill"/>, as on a real server.
/// As root it runs as the package's postgres user, since initdb and postgres refuse to run as root.
/// Without PostgreSQL the tests that need it are skipped locally, but fail in CI (CI=true).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string User = "postgres";

    private readonly string _bin;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ManualResetEventSlim _ready = new();
    private Process? _process;
    private int _databases;

    private PostgresServer(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public bool Running => _process is { HasExited: false };

    private string DataDirectory => Path.Combine(_directory, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The newest installed /usr/lib/postgresql/&lt;version&gt;/bin holding initdb, pg_ctl and postgres; null when none is.</summary>
    public static string? FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => new[] { "initdb", "pg_ctl", "postgres", "createdb" }.All(tool => File.Exists(Path.Combine(bin, tool))))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out int major) ? major : 0)
                .FirstOrDefault()
            : null;

    /// <summary>Whether a missing PostgreSQL must fail the run rather than skip: in CI it must.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates and starts a cluster, or reports why not: the caller skips (locally) or fails (in CI).</summary>
    public static PostgresServer Start()
    {
        string bin = FindBinDirectory() ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; scripts/test.sh does it as root)");
        string directory = Path.Combine(Path.GetTempPath(), "est-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new PostgresServer(bin, directory, FreePort());
        try
        {
            if (IsRoot)
            {
                Run("chown", [$"{User}:{User}", directory], asPostgres: false);
            }

            server.Tool("initdb", "-D", server.DataDirectory, "-A", "trust", "-U", User, "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
            server.StartProcess();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username={User};Database={database}";

    /// <summary>A fresh, empty database, returned as its connection string.</summary>
    public string CreateDatabase()
    {
        string name = $"est_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        Tool("createdb", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, name);
        return ConnectionString(name);
    }

    /// <summary>Shuts the server down cleanly (pg_ctl stop -m fast): clients are disconnected, new ones refused.</summary>
    public void Stop()
    {
        if (!Running)
        {
            return;
        }

        Tool("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30");
        _process!.WaitForExit(30_000);
        _process.Dispose();
        _process = null;
    }

    /// <summary>Kills the server and its backends at once, as a crash would; the next start recovers from the WAL.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts it again (stopping it first if it runs) on the same port and data.</summary>
    public void Restart()
    {
        Stop();
        StartProcess();
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // pg_ctl failed; killing below ends it all the same.
        }

        Kill();
        _ready.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private void StartProcess()
    {
        _ready.Reset();
        string[] arguments =
        [
            "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "max_connections=300", "-c", "logging_collector=off",
        ];
        _process = Process.Start(StartInfo(Path.Combine(_bin, "postgres"), arguments, asPostgres: true)) ?? throw new InvalidOperationException("postgres did not start");
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!_ready.Wait(TimeSpan.FromSeconds(30)) || _process.HasExited)
        {
            string log = string.Join("\n", _log);
            Kill();
            throw new InvalidOperationException($"postgres on port {Port} did not become ready:\n{log}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 50 && _log.TryDequeue(out _))
        {
        }

        if (line.Contains("database system is ready to accept connections", StringComparison.Ordinal))
        {
            _ready.Set();
        }
    }

    private void Tool(string tool, params string[] arguments) => Run(Path.Combine(_bin, tool), arguments, asPostgres: true);

    private static void Run(string executable, string[] arguments, bool asPostgres)
    {
        using Process process = Process.Start(StartInfo(executable, arguments, asPostgres)) ?? throw new InvalidOperationException($"{executable} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(executable)} did not finish within a minute");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }
    }

    /// <summary>As root, through setpriv (which execs, so the process is the tool itself and a kill reaches it) as the postgres user.</summary>
    private static ProcessStartInfo StartInfo(string executable, string[] arguments, bool asPostgres)
    {
        bool switchUser = asPostgres && IsRoot;
        var start = new ProcessStartInfo(switchUser ? "setpriv" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (switchUser)
        {
            foreach (string argument in new[] { $"--reuid={User}", $"--regid={User}", "--init-groups", "--", executable })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
