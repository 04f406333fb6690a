using System.Security.Cryptography.X509Certificates;

namespace EstServer.LoadGen.Hostile;

/// <summary>How a campaign runs: where, as whom, how many cases (or for how long), how concurrently.</summary>
public sealed record HostileCampaignSettings
{
    public required Uri Url { get; init; }

    /// <summary>What the server's TLS certificate must chain to.</summary>
    public required X509Certificate2 TrustAnchor { get; init; }

    /// <summary>The hostile client's device identity (IDevID, with its key).</summary>
    public required X509Certificate2 Device { get; init; }

    /// <summary>The legitimate device's identity (IDevID, with its key), enrolling in a loop meanwhile.</summary>
    public required X509Certificate2 LegitDevice { get; init; }

    /// <summary>The device-identity CA with its key, to mint an expired identity under it; optional.</summary>
    public X509Certificate2? ManufacturerCa { get; init; }

    public required string CorpusDirectory { get; init; }

    public long Seed { get; init; } = 1;

    /// <summary>Run exactly this many cases; when null, run for <see cref="Duration"/>.</summary>
    public long? Count { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(1);

    public int Concurrency { get; init; } = 16;

    /// <summary>Slow-client cases run on their own workers: they mostly wait.</summary>
    public int SlowConcurrency { get; init; } = 32;

    /// <summary>No response within this, with the connection still open, is a hang.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// For cases that leave the connection idle (nothing sent, or only empty lines): longer than the
    /// server's Est:Limits:KeepAliveTimeout (30 s by default), after which the server must have closed.
    /// </summary>
    public TimeSpan IdleCaseTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The server's Est:MaxRequestBodyBytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 65536;

    /// <summary>Between two enrollments of the legitimate device.</summary>
    public TimeSpan LegitPause { get; init; } = TimeSpan.FromMilliseconds(50);

    public string LegitCommonName { get; init; } = "legit-device";

    /// <summary>Progress lines while running (about every 10 seconds); null for none.</summary>
    public Action<string>? Progress { get; init; }
}
