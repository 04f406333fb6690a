namespace EstServer.Core.Lifecycle;

/// <summary>
/// One issued certificate as the store keeps it: what was issued (serial, issuer, names, key, validity,
/// DER), to whom and why (requester, the device identity it descends from, profile, kind, the serial it
/// renews, request id), and its revocation state.
/// </summary>
public sealed record CertificateRecord
{
    /// <summary>Lowercase hex, no leading zeros (<see cref="SerialNumber"/>).</summary>
    public required string Serial { get; init; }

    /// <summary>Hex of the issuing CA's subjectKeyIdentifier: one CA, one CRL, one set of serials.</summary>
    public required string IssuerKeyId { get; init; }

    public required string Issuer { get; init; }

    public required string Subject { get; init; }

    /// <summary>The subjectAltName as text (DNS:x, IP:y, URI:z, ...), empty when there is none.</summary>
    public required string SubjectAltNames { get; init; }

    /// <summary>SHA-256 hex of the certified SubjectPublicKeyInfo.</summary>
    public required string SpkiSha256 { get; init; }

    public required string RequesterSubject { get; init; }

    /// <summary>SHA-256 hex of the TLS client certificate that asked.</summary>
    public required string RequesterThumbprint { get; init; }

    /// <summary>
    /// The device this certificate belongs to: the SHA-256 thumbprint of the IDevID that made the first
    /// enrollment, carried through every renewal, so one device's whole history is one value.
    /// </summary>
    public required string DeviceIdentity { get; init; }

    public required string Profile { get; init; }

    public required string ProfileVersion { get; init; }

    /// <summary>"enroll" or "reenroll" (<see cref="IssuanceKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The serial of the certificate a re-enrollment renewed.</summary>
    public string? RenewsSerial { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required string RequestId { get; init; }

    public CertificateStatus Status { get; init; } = CertificateStatus.Good;

    public DateTimeOffset? RevokedAt { get; init; }

    public RevocationReason? RevocationReason { get; init; }

    /// <summary>Empty in search results, which leave the DER out.</summary>
    public byte[] Der { get; init; } = [];
}
