using System.Security.Cryptography;
using System.Text.Json.Serialization;
using EstServer.Core.Lifecycle;

namespace EstServer.Host.Admin;

/// <summary>One certificate as /admin/v1 shows it: the store's record with names spelled for people (serial as openssl prints it, status and reason as words).</summary>
public sealed record CertificateJson
{
    public required string Serial { get; init; }

    public required string IssuerKeyId { get; init; }

    public required string Issuer { get; init; }

    public required string Subject { get; init; }

    public required string SubjectAltNames { get; init; }

    public required string DeviceIdentity { get; init; }

    public required string Profile { get; init; }

    public required string ProfileVersion { get; init; }

    public required string Kind { get; init; }

    public string? RenewsSerial { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required string RequestId { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public string? RevocationReason { get; init; }

    /// <summary>Only for a single certificate; search results come without their DER.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pem { get; init; }

    /// <summary>Only on a revoke answer: true when the revocation predates the call (the first time and reason stand).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? WasAlreadyRevoked { get; init; }

    public static CertificateJson From(CertificateRecord record, bool withPem = false) => new()
    {
        Serial = SerialNumber.ToOpenSsl(record.Serial),
        IssuerKeyId = record.IssuerKeyId,
        Issuer = record.Issuer,
        Subject = record.Subject,
        SubjectAltNames = record.SubjectAltNames,
        DeviceIdentity = record.DeviceIdentity,
        Profile = record.Profile,
        ProfileVersion = record.ProfileVersion,
        Kind = record.Kind,
        RenewsSerial = record.RenewsSerial is null ? null : SerialNumber.ToOpenSsl(record.RenewsSerial),
        NotBefore = record.NotBefore,
        NotAfter = record.NotAfter,
        IssuedAt = record.IssuedAt,
        RequestId = record.RequestId,
        Status = StatusName(record.Status),
        RevokedAt = record.RevokedAt,
        RevocationReason = record.RevocationReason is { } reason ? RevocationReasons.Name(reason) : null,
        Pem = withPem && record.Der.Length > 0 ? PemEncoding.WriteString("CERTIFICATE", record.Der) + "\n" : null,
    };

    public static string StatusName(CertificateStatus status) => status == CertificateStatus.Revoked ? "revoked" : "good";
}
