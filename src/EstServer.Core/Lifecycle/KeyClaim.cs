namespace EstServer.Core.Lifecycle;

/// <summary>
/// One key, one identity: the certified public key (SHA-256 of its SPKI) is claimed for the owner (the
/// names the certificate carries) until the claim lapses with the certificate it stands for.
/// </summary>
public sealed record KeyClaim(string SpkiSha256, string Owner, DateTimeOffset Until);
