namespace EstServer.Core.Lifecycle;

/// <summary>A device identity that may neither enroll nor re-enroll, since when and why; blocking it revoked <paramref name="RevokedSerials"/>.</summary>
public sealed record DeviceBlock(string DeviceIdentity, DateTimeOffset BlockedAt, string Reason, IReadOnlyList<string> RevokedSerials);
