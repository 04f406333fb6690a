namespace EstServer.Core.Lifecycle;

/// <summary>A recorded certificate's revocation state (RFC 6960 §2.2 good / revoked; "unknown" is a certificate not in the store).</summary>
public enum CertificateStatus
{
    Good,
    Revoked,
}
