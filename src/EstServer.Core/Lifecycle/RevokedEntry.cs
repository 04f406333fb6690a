namespace EstServer.Core.Lifecycle;

/// <summary>One entry of a CRL (RFC 5280 §5.1.2.6): the serial, when, and why.</summary>
public sealed record RevokedEntry(string Serial, DateTimeOffset RevokedAt, RevocationReason Reason);
