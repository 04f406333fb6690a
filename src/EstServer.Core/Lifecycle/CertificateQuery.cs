namespace EstServer.Core.Lifecycle;

/// <summary>
/// A search over issued certificates; unset filters match everything. Results come newest first, at
/// most <see cref="Limit"/>, without their DER.
/// </summary>
public sealed record CertificateQuery
{
    public string? DeviceIdentity { get; init; }

    /// <summary>Matches when the subject contains this text (case-insensitive).</summary>
    public string? SubjectContains { get; init; }

    public string? Profile { get; init; }

    public CertificateStatus? Status { get; init; }

    /// <summary>Good certificates whose notAfter falls between now and this instant ("which devices renew next month").</summary>
    public DateTimeOffset? ExpiringBefore { get; init; }

    public int Limit { get; init; } = 100;

    public const int MaxLimit = 10_000;
}
