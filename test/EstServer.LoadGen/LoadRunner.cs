using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.LoadGen;

/// <summary>
/// Drives N concurrent simulated devices for a duration (or a count), after a warm-up whose requests
/// are not counted. Each enrollment uses a fresh pre-generated CSR, on a new TLS connection by default.
/// </summary>
public sealed class LoadRunner(LoadOptions options, DeviceFleet fleet, ServerCertificateCheck serverCheck)
{
    private const string Pkcs10 = "application/pkcs10";

    private readonly ConcurrentBag<double> _latencies = [];
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<byte[]> _samples = new();
    private long _next = -1;
    private int _ok;

    public string Host => $"{options.Url.Host}:{options.Url.Port}";

    public string Path(string operation) =>
        "/.well-known/est/" + (options.Label is null ? "" : options.Label + "/") + operation;

    /// <summary>Re-enrollment needs an operational certificate per device: enroll each once, unmeasured.</summary>
    public async Task PrepareReenrollmentAsync(CancellationToken cancellationToken)
    {
        byte[][] keyedCsrs = new byte[fleet.Devices.Count][];
        var keys = new System.Security.Cryptography.ECDsa[fleet.Devices.Count];
        for (int i = 0; i < fleet.Devices.Count; i++)
        {
            keys[i] = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            keyedCsrs[i] = TestCsr.Create($"CN={fleet.Devices[i].Name}", keys[i], TestKeyType.EcP256).Body;
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, fleet.Devices.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            DeviceFleet.Device device = fleet.Devices[i];
            await using RawHttpsConnection connection = await RawHttpsConnection.OpenAsync(options.Url, device.IdentityContext, serverCheck, ct).ConfigureAwait(false);
            (int status, byte[] body) = await connection.SendAsync("POST", Path("simpleenroll"), Host, keyedCsrs[i], Pkcs10, close: true, ct).ConfigureAwait(false);
            if (status != 200)
            {
                throw new InvalidOperationException($"set-up enrollment of {device.Name} failed with {status}: {System.Text.Encoding.UTF8.GetString(body)}");
            }

            byte[] certificate = CertsOnlyPkcs7.Decode(Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(body)))[0];
            using X509Certificate2 issued = X509CertificateLoader.LoadCertificate(certificate);
            device.Operational = System.Net.Security.SslStreamCertificateContext.Create(issued.CopyWithPrivateKey(keys[i]), null, offline: true);
        }).ConfigureAwait(false);
    }

    public async Task<LoadResult> RunAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        long measureFrom = start + Ticks(options.Warmup);
        long stopAt = measureFrom + Ticks(options.Duration);
        long firstMeasured = long.MaxValue;
        long lastMeasured = 0;
        var workers = Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
        {
            RawHttpsConnection? kept = null;
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    long index = Interlocked.Increment(ref _next);
                    long now = Stopwatch.GetTimestamp();
                    bool done = options.Count is { } count ? index >= count + WarmupCount() : now >= stopAt;
                    if (done)
                    {
                        break;
                    }

                    bool measured = options.Count is not null ? index >= WarmupCount() : now >= measureFrom;
                    if (options.Rate > 0)
                    {
                        // Open loop: request n starts at start + n / rate; its latency counts from then.
                        long due = start + (long)(index / options.Rate * Stopwatch.Frequency);
                        TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                        }

                        now = due;
                        measured = options.Count is not null ? index >= WarmupCount() : now >= measureFrom;
                        if (options.Count is null && now >= stopAt)
                        {
                            break;
                        }
                    }

                    string outcome;
                    try
                    {
                        (outcome, kept) = await OneAsync(index, worker, kept, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
                    {
                        outcome = exception.GetType().Name;
                        if (kept is not null)
                        {
                            await kept.DisposeAsync().ConfigureAwait(false);
                            kept = null;
                        }
                    }

                    long finished = Stopwatch.GetTimestamp();
                    if (measured && (options.Count is not null || finished <= stopAt))
                    {
                        if (outcome == "200")
                        {
                            Interlocked.Increment(ref _ok);
                            _latencies.Add(Stopwatch.GetElapsedTime(now, finished).TotalMilliseconds);
                        }
                        else
                        {
                            _failures.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                        }

                        InterlockedMin(ref firstMeasured, now);
                        InterlockedMax(ref lastMeasured, finished);
                    }
                }
            }
            finally
            {
                if (kept is not null)
                {
                    await kept.DisposeAsync().ConfigureAwait(false);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);

        double seconds = options.Count is not null
            ? Stopwatch.GetElapsedTime(firstMeasured, lastMeasured).TotalSeconds
            : options.Duration.TotalSeconds;
        return new LoadResult(options.Name, options, _ok, Math.Max(seconds, 0.001), _latencies.ToArray(), _failures, "");
    }

    /// <summary>Sample answers (the body) for verification.</summary>
    public IReadOnlyCollection<byte[]> Samples => _samples;

    private int WarmupCount() => options.Concurrency * 4;

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static void InterlockedMin(ref long target, long value)
    {
        long current;
        while (value < (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private async Task<(string, RawHttpsConnection?)> OneAsync(long index, int worker, RawHttpsConnection? kept, CancellationToken cancellationToken)
    {
        // A kept-alive connection belongs to one device for good; new connections rotate through the fleet.
        DeviceFleet.Device device = fleet.Devices[(int)((options.KeepAlive ? worker : index) % fleet.Devices.Count)];
        var identity = options.Mode == LoadMode.Reenroll ? device.Operational! : device.IdentityContext;
        RawHttpsConnection connection = kept ?? await RawHttpsConnection.OpenAsync(options.Url, identity, serverCheck, cancellationToken).ConfigureAwait(false);
        (int status, byte[] body) = options.Mode switch
        {
            LoadMode.Baseline => await connection.SendAsync("GET", "/healthz", Host, null, null, !options.KeepAlive, cancellationToken).ConfigureAwait(false),
            LoadMode.Reenroll => await connection.SendAsync("POST", Path("simplereenroll"), Host, device.NextCsr(), Pkcs10, !options.KeepAlive, cancellationToken).ConfigureAwait(false),
            _ => await connection.SendAsync("POST", Path("simpleenroll"), Host, device.NextCsr(), Pkcs10, !options.KeepAlive, cancellationToken).ConfigureAwait(false),
        };

        if (status == 200 && options.Mode != LoadMode.Baseline && _samples.Count < options.VerifySample)
        {
            _samples.Enqueue(body);
        }

        string outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (options.KeepAlive)
        {
            return (outcome, connection);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return (outcome, null);
    }
}
