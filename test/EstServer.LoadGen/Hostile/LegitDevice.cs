using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.Core.Wire;
using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// A well-behaved device enrolling in a loop for the whole campaign, each time on a new mutual-TLS
/// connection with a new key, as a real device would. Success is a 200 whose certs-only answer holds
/// one certificate for exactly the key it asked for; anything else (another status, an error, no
/// answer within the timeout) is a failure with its reason.
/// </summary>
public sealed class LegitDevice(Uri server, SslStreamCertificateContext identity, ServerCertificateCheck serverCheck, string commonName, TimeSpan pause, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> _latencies = [];
    private int _ok;

    public int Ok => _ok;

    public int Failed => _failures.Values.Sum();

    public IReadOnlyDictionary<string, int> Failures => _failures;

    public IReadOnlyCollection<double> LatenciesMs => _latencies;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await EnrollOnceAsync().ConfigureAwait(false);
            try
            {
                // Pacing, so the device is a device and not a second load generator.
                await Task.Delay(pause, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One enrollment, always run to its end (or its timeout), so stopping the loop never cuts one short.</summary>
    public async Task EnrollOnceAsync()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] body = TestCsr.Create($"CN={commonName}", key, TestKeyType.EcP256).Body;
        long started = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await using RawHttpsConnection connection = await RawHttpsConnection.OpenAsync(server, identity, serverCheck, deadline.Token).ConfigureAwait(false);
            (int status, byte[] answer) = await connection.SendAsync("POST", "/.well-known/est/simpleenroll", $"{server.Host}:{server.Port}", body, "application/pkcs10", close: true, deadline.Token).ConfigureAwait(false);
            if (status != 200)
            {
                Fail($"status {status}: {Encoding.UTF8.GetString(answer).Trim()}");
                return;
            }

            IReadOnlyList<byte[]> certificates = CertsOnlyPkcs7.Decode(Convert.FromBase64String(Encoding.ASCII.GetString(answer)));
            using X509Certificate2 issued = X509CertificateLoader.LoadCertificate(certificates.Single());
            if (!issued.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                Fail("issued certificate is for another key");
                return;
            }

            Interlocked.Increment(ref _ok);
            _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            Fail($"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException
            or FormatException or InvalidOperationException or CryptographicException)
        {
            Fail($"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private void Fail(string reason) => _failures.AddOrUpdate(reason.Length > 160 ? reason[..160] : reason, 1, (_, n) => n + 1);
}
