namespace EstServer.Host.Configuration;

/// <summary>The "Est:RateLimits" section. 0 turns a limit off. Health, readiness and metrics are never limited.</summary>
public sealed record RateLimitOptions
{
    /// <summary>EST requests per minute per client certificate (token bucket: bursts up to this many).</summary>
    public int PerClientCertificatePerMinute { get; init; } = 600;

    /// <summary>
    /// EST requests per minute per source address. A factory line behind one NAT address enrolls
    /// thousands of devices a minute, so this is high; lower it for fleets that connect directly.
    /// </summary>
    public int PerAddressPerMinute { get; init; } = 60_000;

    /// <summary>simplereenroll attempts per hour per client certificate: renewing is rare, a loop of it is a fault.</summary>
    public int ReenrollPerCertificatePerHour { get; init; } = 60;
}
