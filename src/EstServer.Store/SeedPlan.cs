namespace EstServer.Store;

/// <summary>
/// What <see cref="CertificateStoreSeeder"/> inserts: <see cref="Count"/> synthetic certificates, each
/// with its own serial, device identity, key (and claim) and request id, issued over the year before
/// <see cref="Now"/> for a year, so their notAfter spreads over the year after it.
/// </summary>
public sealed record SeedPlan
{
    public required int Count { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>The certificate bytes every row carries (a real certificate makes rows the real size).</summary>
    public byte[] Der { get; init; } = [0x30, 0x03, 0x02, 0x01, 0x00];

    public string IssuerKeyId { get; init; } = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

    public string Profile { get; init; } = "seed";

    /// <summary>Rows per transaction (and per COPY on PostgreSQL).</summary>
    public int BatchSize { get; init; } = 50_000;
}
