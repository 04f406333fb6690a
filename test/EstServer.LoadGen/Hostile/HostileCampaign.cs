using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Runs a campaign against a real server: enrolls the hostile device once for an operational
/// certificate, starts the legitimate device, sends every generated case (fast ones on N workers that
/// keep connections alive where the case allows it, slow ones on their own workers), then checks that
/// /healthz still answers. The result is a <see cref="CampaignReport"/>.
/// </summary>
public static class HostileCampaign
{
    public static async Task<CampaignReport> RunAsync(HostileCampaignSettings settings, CancellationToken cancellationToken)
    {
        var serverCheck = new ServerCertificateCheck(settings.TrustAnchor);
        SeedCorpus corpus = SeedCorpus.Load(settings.CorpusDirectory);
        var generatorSettings = new GeneratorSettings { Authority = $"{settings.Url.Host}:{settings.Url.Port}", MaxRequestBodyBytes = settings.MaxRequestBodyBytes };
        var generator = new HostileCaseGenerator(settings.Seed, corpus, generatorSettings);
        using var identities = new CampaignIdentities(settings.Device, settings.LegitDevice, settings.ManufacturerCa);
        identities.SetOperational(await EnrollOperationalAsync(settings, identities, serverCheck, generatorSettings.OperationalCommonName, cancellationToken).ConfigureAwait(false));

        var report = new CampaignReport(settings.Seed)
        {
            Notes = $"corpus={corpus.Seeds.Count} seeds ({corpus.Valid.Count} valid); expired identity {(identities.ExpiredUnderRealCa ? "under the real manufacturer CA" : "under an unknown CA (no --manufacturer-key)")}",
        };
        var legit = new LegitDevice(settings.Url, identities.LegitContext, serverCheck, settings.LegitCommonName, settings.LegitPause, settings.CaseTimeout);
        using var stopLegit = new CancellationTokenSource();
        Task legitLoop = legit.RunAsync(stopLegit.Token);

        long started = Stopwatch.GetTimestamp();
        long deadline = settings.Count is null ? started + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        long next = -1;
        // Bounded: when every slow worker is busy, the fast worker that drew a slow case waits for a free
        // one, so a long soak never builds a backlog of slow cases to finish after its time is up.
        var slow = Channel.CreateBounded<HostileCase>(new BoundedChannelOptions(settings.SlowConcurrency) { FullMode = BoundedChannelFullMode.Wait });
        using var progress = new Timer(_ => settings.Progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"progress: {report.Cases} cases in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, 5xx={report.Server5xx} hangs={report.Hangs} unexpected={report.Unexpected} legit_ok={legit.Ok} legit_failed={legit.Failed}")),
            null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        Task[] fast = Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
        {
            var kept = new Dictionary<CaseIdentity, HostileConnection>();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    long index = Interlocked.Increment(ref next);
                    if ((settings.Count is { } count && index >= count) || Stopwatch.GetTimestamp() >= deadline)
                    {
                        break;
                    }

                    HostileCase hostileCase = generator.Create(index);
                    if (hostileCase.IsSlow)
                    {
                        await slow.Writer.WriteAsync(hostileCase, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    report.Record(hostileCase, await RunCaseAsync(hostileCase, kept, settings, identities, serverCheck, cancellationToken).ConfigureAwait(false));
                }
            }
            finally
            {
                foreach (HostileConnection connection in kept.Values)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }, cancellationToken)).ToArray();

        Task[] slowWorkers = Enumerable.Range(0, settings.SlowConcurrency).Select(_ => Task.Run(async () =>
        {
            var none = new Dictionary<CaseIdentity, HostileConnection>();
            await foreach (HostileCase hostileCase in slow.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                report.Record(hostileCase, await RunCaseAsync(hostileCase, none, settings, identities, serverCheck, cancellationToken).ConfigureAwait(false));
            }
        }, cancellationToken)).ToArray();

        await Task.WhenAll(fast).ConfigureAwait(false);
        slow.Writer.Complete();
        await Task.WhenAll(slowWorkers).ConfigureAwait(false);
        report.Elapsed = Stopwatch.GetElapsedTime(started);

        await stopLegit.CancelAsync().ConfigureAwait(false);
        await legitLoop.ConfigureAwait(false);
        if (legit.Ok == 0 && legit.Failed == 0)
        {
            // A campaign shorter than one enrollment: the device still gets its turn.
            await legit.EnrollOnceAsync().ConfigureAwait(false);
        }

        report.LegitOk = legit.Ok;
        report.LegitFailed = legit.Failed;
        report.LegitFailures = new Dictionary<string, int>(legit.Failures, StringComparer.Ordinal);
        double[] latencies = legit.LatenciesMs.Order().ToArray();
        if (latencies.Length > 0)
        {
            report.LegitP50Ms = latencies[latencies.Length / 2];
            report.LegitMaxMs = latencies[^1];
        }

        report.HealthyAfter = await IsHealthyAsync(settings, serverCheck, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static async Task<CaseOutcome> RunCaseAsync(
        HostileCase hostileCase,
        Dictionary<CaseIdentity, HostileConnection> kept,
        HostileCampaignSettings settings,
        CampaignIdentities identities,
        ServerCertificateCheck serverCheck,
        CancellationToken cancellationToken)
    {
        HostileConnection? connection = null;
        bool reused = hostileCase.KeepAlive && kept.Remove(hostileCase.Identity, out connection);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                if (connection is null)
                {
                    long opening = Stopwatch.GetTimestamp();
                    using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    handshake.CancelAfter(settings.CaseTimeout);
                    try
                    {
                        connection = await HostileConnection.OpenAsync(settings.Url, hostileCase.Identity, identities.For(hostileCase.Identity), serverCheck, handshake.Token).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                    {
                        return CaseOutcome.Failed(Stopwatch.GetElapsedTime(opening), $"could not connect: {exception.GetType().Name}: {exception.Message}");
                    }
                }

                TimeSpan timeout = hostileCase.WaitsForIdleTimeout ? settings.IdleCaseTimeout : settings.CaseTimeout;
                CaseOutcome outcome = await connection.RunAsync(hostileCase, timeout, cancellationToken).ConfigureAwait(false);
                if (reused && attempt == 0 && outcome.Kind == OutcomeKind.ClosedByServer && connection.BytesReceived == 0)
                {
                    // A kept-alive connection the server had already let go (idle timeout): an ordinary
                    // client retries on a new connection, and so does this one, once.
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                    continue;
                }

                return outcome;
            }
        }
        finally
        {
            if (connection is not null)
            {
                if (hostileCase.KeepAlive && connection.Reusable && !kept.ContainsKey(hostileCase.Identity))
                {
                    kept[hostileCase.Identity] = connection;
                }
                else
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The hostile device's own operational certificate (for simplereenroll cases), enrolled like any device.</summary>
    private static async Task<X509Certificate2> EnrollOperationalAsync(HostileCampaignSettings settings, CampaignIdentities identities, ServerCertificateCheck serverCheck, string commonName, CancellationToken cancellationToken)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] body = TestCsr.Create($"CN={commonName}", key, TestKeyType.EcP256).Body;
        for (int attempt = 0; attempt < 30; attempt++)
        {
            await using RawHttpsConnection connection = await RawHttpsConnection.OpenAsync(settings.Url, identities.For(CaseIdentity.Device), serverCheck, cancellationToken).ConfigureAwait(false);
            (int status, byte[] answer) = await connection.SendAsync("POST", CaseContext.EnrollPath, $"{settings.Url.Host}:{settings.Url.Port}", body, RawRequest.Pkcs10, close: true, cancellationToken).ConfigureAwait(false);
            if (status == 200)
            {
                byte[] der = CertsOnlyPkcs7.Decode(Convert.FromBase64String(Encoding.ASCII.GetString(answer))).Single();
                using X509Certificate2 issued = X509CertificateLoader.LoadCertificate(der);
                return issued.CopyWithPrivateKey(key);
            }

            if (status != 202)
            {
                throw new InvalidOperationException($"the hostile device could not enroll for its operational certificate: {status} {Encoding.UTF8.GetString(answer).Trim()}");
            }

            // 202: the signer is behind; the same request later collects the certificate (RFC 7030 §4.2.3).
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException("the hostile device's operational certificate was still pending after 30 attempts");
    }

    private static async Task<bool> IsHealthyAsync(HostileCampaignSettings settings, ServerCertificateCheck serverCheck, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.CaseTimeout);
        try
        {
            await using RawHttpsConnection connection = await RawHttpsConnection.OpenAsync(settings.Url, null, serverCheck, deadline.Token).ConfigureAwait(false);
            (int status, _) = await connection.SendAsync("GET", "/healthz", $"{settings.Url.Host}:{settings.Url.Port}", null, null, close: true, deadline.Token).ConfigureAwait(false);
            return status == 200;
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return false;
        }
    }
}
