namespace EstServer.Core.Lifecycle;

/// <summary>What a host needs to know about a certificate it sees (a re-enrolling client, an OCSP query), without its DER.</summary>
public sealed record CertificateState(
    string Serial,
    CertificateStatus Status,
    DateTimeOffset? RevokedAt,
    RevocationReason? RevocationReason,
    string DeviceIdentity,
    bool DeviceBlocked,
    DateTimeOffset NotAfter);
