namespace EstServer.Host.Admin;

/// <summary>The answer to an unblock; certificates revoked by the block stay revoked.</summary>
public sealed record UnblockJson(string DeviceIdentity, bool Unblocked);
