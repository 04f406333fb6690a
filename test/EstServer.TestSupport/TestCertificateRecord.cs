using EstServer.Core.Lifecycle;

namespace EstServer.TestSupport;

/// <summary>
/// Certificate records for store tests: every call a fresh serial, request id, device and key unless
/// given, valid for a year from <paramref name="issuedAt"/>, with a small stand-in DER.
/// </summary>
public static class TestCertificateRecord
{
    public const string IssuerKeyId = "a1b2c3d4e5f60718293a4b5c6d7e8f9001122334";

    private static long _next = 0x1000;

    public static CertificateRecord Create(
        DateTimeOffset issuedAt,
        string? deviceIdentity = null,
        string? requestId = null,
        string? spkiSha256 = null,
        string subject = "CN=device,O=Example",
        string profile = "device",
        string issuerKeyId = IssuerKeyId,
        TimeSpan? validity = null)
    {
        long n = Interlocked.Increment(ref _next);
        string unique = Guid.NewGuid().ToString("N");
        return new CertificateRecord
        {
            Serial = $"{n:x}{unique[..16]}",
            IssuerKeyId = issuerKeyId,
            Issuer = "CN=Test Issuing CA,O=Example",
            Subject = subject,
            SubjectAltNames = "DNS:device.example",
            SpkiSha256 = spkiSha256 ?? (unique + unique),
            RequesterSubject = "CN=factory,O=Example",
            RequesterThumbprint = new string('f', 64),
            DeviceIdentity = deviceIdentity ?? "dev-" + unique,
            Profile = profile,
            ProfileVersion = "sha256:0123456789abcdef",
            Kind = IssuanceKinds.Enroll,
            NotBefore = issuedAt.AddMinutes(-5),
            NotAfter = issuedAt + (validity ?? TimeSpan.FromDays(365)),
            IssuedAt = issuedAt,
            RequestId = requestId ?? "req-" + unique,
            Der = [0x30, 0x82, 0x01, (byte)(n & 0xff), .. unique.Select(c => (byte)c)],
        };
    }

    /// <summary>The claim a signer makes for <paramref name="record"/>'s key: owned by its subject until it expires.</summary>
    public static KeyClaim ClaimFor(CertificateRecord record, string? owner = null) => new(record.SpkiSha256, owner ?? record.Subject, record.NotAfter);
}
