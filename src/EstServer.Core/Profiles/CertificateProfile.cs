using EstServer.Core.Authentication;

namespace EstServer.Core.Profiles;

/// <summary>
/// The certificate policy applied to one EST label: what the issued certificate looks like and whom
/// it is issued to. Immutable; a new profile set replaces the old one as a whole.
/// </summary>
public sealed record CertificateProfile
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public required string Name { get; init; }

    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>notBefore is set this far in the past so devices with a slightly slow clock accept the certificate.</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(5);

    public KeyPolicy Keys { get; init; } = KeyPolicy.DeviceDefault;

    /// <summary>BouncyCastle <see cref="Org.BouncyCastle.Asn1.X509.KeyUsage"/> bits.</summary>
    public int KeyUsage { get; init; } = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature;

    /// <summary>RSA keys can also transport keys (TLS 1.2 RSA key exchange); EC and EdDSA keys cannot.</summary>
    public bool KeyEnciphermentForRsa { get; init; } = true;

    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [ClientAuthOid];

    /// <summary>How long after expiry a certificate may still be used to re-enroll (RFC 7030 §4.2.2 leaves this to policy).</summary>
    public TimeSpan ReenrollGracePeriod { get; init; } = TimeSpan.Zero;

    /// <summary>The device-identity (IDevID) CAs whose devices may simpleenroll under this profile.</summary>
    public required TrustAnchors DeviceIdentityAnchors { get; init; }

    /// <summary>Sensible defaults for a field device's operational certificate.</summary>
    public static CertificateProfile DeviceDefault(string name, TrustAnchors deviceIdentityAnchors) =>
        new() { Name = name, DeviceIdentityAnchors = deviceIdentityAnchors };
}
