namespace EstServer.Core.Pipeline;

/// <summary>Whose device a certificate belongs to (the IDevID thumbprint of its first enrollment) and which certificate it renews.</summary>
public sealed record DeviceLineage(string DeviceIdentity, string? RenewsSerial);
