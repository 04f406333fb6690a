using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EstServer.TestSupport;

/// <summary>
/// A real redis-server (Debian's package) on a free loopback port with its own data directory and AOF
/// with fsync on every write, as the README recommends for production, so a restart loses nothing.
/// Without redis-server the tests that need it are skipped locally, but fail in CI (CI=true).
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string executable, string directory, int port)
    {
        Executable = executable;
        _directory = directory;
        Port = port;
    }

    public string Executable { get; }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static string? FindExecutable() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>Starts a server, or reports why not: the caller skips (locally) or fails (in CI).</summary>
    public static RedisServer Start()
    {
        string executable = FindExecutable() ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; scripts/test.sh does it as root)");
        string directory = Path.Combine(Path.GetTempPath(), "est-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new RedisServer(executable, directory, FreePort());
        server.StartProcess();
        return server;
    }

    /// <summary>Whether a missing redis-server must fail the run rather than skip: in CI it must.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Kills the server without letting it save anything, as a crash would.</summary>
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

    /// <summary>Starts it again on the same port and data directory; the AOF brings the data back.</summary>
    public void Restart()
    {
        Kill();
        StartProcess();
    }

    public void Dispose()
    {
        Kill();
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
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes", "--daemonize", "no",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilAccepting();
    }

    private void WaitUntilAccepting()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using NetworkStream stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                byte[] reply = new byte[64];
                int read = stream.Read(reply, 0, reply.Length);
                // "+PONG" once ready; "-LOADING" while the AOF is replayed after a restart.
                if (read > 0 && reply[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"redis-server on port {Port} did not become ready");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
