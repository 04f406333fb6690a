using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EstServer.LoadGen.Ocsp;

/// <summary>
/// OCSP throughput as relying parties make it: POST requests (RFC 6960 Appendix A.1), each for a
/// recorded serial and with its own nonce, so the responder signs every answer afresh, over
/// keep-alive connections. Every answer is parsed; anything but a successful response naming the
/// asked serial counts as a failure.
/// </summary>
public sealed class OcspLoadRunner(OcspLoadOptions options)
{
    private readonly ConcurrentBag<double> _latencies = [];
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _ok;
    private long _next = -1;

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        BcCertificate issuer = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(await File.ReadAllBytesAsync(options.Issuer, cancellationToken).ConfigureAwait(false));
        string[] serials = (await File.ReadAllLinesAsync(options.Serials, cancellationToken).ConfigureAwait(false)).Where(line => line.Length > 0).ToArray();
        if (serials.Length == 0)
        {
            throw new ArgumentException($"{options.Serials} holds no serials");
        }

        (byte[] Der, BigInteger Serial)[] pool = BuildPool(issuer, serials);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        long start = Stopwatch.GetTimestamp();
        long measureFrom = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        long stopAt = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long began = Stopwatch.GetTimestamp();
                if (began >= stopAt)
                {
                    return;
                }

                (byte[] der, BigInteger serial) = pool[Interlocked.Increment(ref _next) % pool.Length];
                string outcome = await OneAsync(client, der, serial, cancellationToken).ConfigureAwait(false);
                long finished = Stopwatch.GetTimestamp();
                if (began < measureFrom || finished > stopAt)
                {
                    continue;
                }

                if (outcome == "ok")
                {
                    Interlocked.Increment(ref _ok);
                    _latencies.Add(Stopwatch.GetElapsedTime(began, finished).TotalMilliseconds);
                }
                else
                {
                    _failures.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
        return ResultLine();
    }

    private (byte[] Der, BigInteger Serial)[] BuildPool(BcCertificate issuer, string[] serials)
    {
        var random = new SecureRandom();
        var pool = new (byte[], BigInteger)[Math.Max(1, options.Pool)];
        for (int i = 0; i < pool.Length; i++)
        {
            var serial = new BigInteger(serials[i % serials.Length].Trim(), 16);
            var generator = new OcspReqGenerator();
            generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, serial));
            byte[] nonce = new byte[16];
            random.NextBytes(nonce);
            generator.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new(false, new DerOctetString(new DerOctetString(nonce).GetEncoded())),
            }));
            pool[i] = (generator.Generate().GetEncoded(), serial);
        }

        return pool;
    }

    private async Task<string> OneAsync(HttpClient client, byte[] der, BigInteger serial, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(der);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
            using HttpResponseMessage response = await client.PostAsync(options.Url, content, cancellationToken).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }

            var parsed = new OcspResp(body);
            if (parsed.Status != OcspRespStatus.Successful)
            {
                return "ocsp-status-" + parsed.Status.ToString(CultureInfo.InvariantCulture);
            }

            SingleResp[] answers = ((BasicOcspResp)parsed.GetResponseObject()).Responses;
            return answers.Length == 1 && answers[0].GetCertID().SerialNumber.Equals(serial) ? "ok" : "wrong-serial";
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OcspException)
        {
            return exception.GetType().Name;
        }
    }

    private string ResultLine()
    {
        double[] sorted = _latencies.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        string failures = _failures.IsEmpty ? "-" : string.Join(",", _failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"RESULT name={options.Name} mode=ocsp transport=keep-alive concurrency={options.Concurrency} rate=closed ok={_ok} seconds={options.Duration.TotalSeconds:0.00} rps={_ok / options.Duration.TotalSeconds:0.0} p50={Percentile(50):0.00} p90={Percentile(90):0.00} p99={Percentile(99):0.00} max={Percentile(100):0.00} failures={failures} verified=parsed csrs_minted_in_run=0");
    }
}
