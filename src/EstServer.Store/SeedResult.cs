namespace EstServer.Store;

/// <summary>How many rows <see cref="CertificateStoreSeeder"/> inserted and how long it took.</summary>
public sealed record SeedResult(int Rows, TimeSpan Elapsed);
