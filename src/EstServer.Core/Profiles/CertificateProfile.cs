using EstServer.Core.Trust;

namespace EstServer.Core.Profiles;

/// <summary>
/// The certificate policy behind one or more EST labels: what the issued certificate contains and who
/// may ask for it. Immutable; a reload replaces the whole set of profiles at once. A member's default
/// is what a profile file means by leaving its field out; members a profile file must set are required.
/// </summary>
public sealed record CertificateProfile
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    /// <summary>
    /// Identifies this exact definition (a hash of its YAML, the built-in profile's included), carried
    /// with signing jobs and in audit lines; "unversioned" only for profiles built in code.
    /// </summary>
    public string Version { get; init; } = "unversioned";

    /// <summary>The file the profile was read from, if any.</summary>
    public string? SourceFile { get; init; }

    /// <summary>EST labels (RFC 7030 §3.2.2) this profile serves.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Whether this profile serves /.well-known/est/ without a label.</summary>
    public bool ServesUnlabelled { get; init; }

    /// <summary>Written into the certificatePolicies extension of every certificate (RFC 5280 §4.2.1.4).</summary>
    public required IReadOnlyList<CertificatePolicy> Policies { get; init; }

    public required TimeSpan Validity { get; init; }

    /// <summary>notBefore is set this far in the past so devices with a slightly slow clock accept the certificate.</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Length of the random serial number in octets: RFC 5280 §4.1.2.2 allows up to 20, and 16 carry
    /// well over the 64 random bits the CA/Browser Forum asks for.
    /// </summary>
    public int SerialBytes { get; init; } = 16;

    public required KeyPolicy Keys { get; init; }

    /// <summary>
    /// BouncyCastle <see cref="Org.BouncyCastle.Asn1.X509.KeyUsage"/> bits. keyEncipherment is set only for
    /// RSA keys and keyAgreement only for EC keys, the key types that can perform them.
    /// </summary>
    public required int KeyUsage { get; init; }

    /// <summary>Key purposes (RFC 5280 §4.2.1.12); with none the extension is left out.</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    public bool BasicConstraintsCritical { get; init; } = true;

    /// <summary>Subject attributes in the order they are written; null copies the CSR's subject unchanged.</summary>
    public required IReadOnlyList<SubjectAttributeRule>? SubjectRules { get; init; }

    /// <summary>Allowed subjectAltName entries (none unless listed); null accepts whatever the CSR asks for.</summary>
    public IReadOnlyList<SubjectAltNameRule>? SubjectAltNameRules { get; init; } = [];

    public CsrExtensionPolicy CsrExtensions { get; init; } = CsrExtensionPolicy.DeviceDefault;

    /// <summary>The device-identity (IDevID) CAs whose devices may simpleenroll under this profile.</summary>
    public required TrustAnchors DeviceIdentityAnchors { get; init; }

    public ReenrollPolicy Reenroll { get; init; } = ReenrollPolicy.Default;
}
