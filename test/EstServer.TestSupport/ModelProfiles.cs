using EstServer.Core.Profiles;
using EstServer.Core.Trust;

namespace EstServer.TestSupport;

/// <summary>
/// Profiles built as model objects, for tests that are not about policy. They are permissive on
/// purpose (the CSR's subject and subjectAltName copied unchecked, no policy named), which no profile
/// file may be; that is why they live here and not in Core, where nothing serves them.
/// </summary>
public static class ModelProfiles
{
    /// <summary>EC P-256/P-384, RSA 2048–8192 and Ed25519: what device stacks generate today, nothing weak.</summary>
    public static KeyPolicy DeviceKeys { get; } = new()
    {
        AllowRsa = true,
        AllowedCurves = new HashSet<string>(StringComparer.Ordinal) { "P-256", "P-384" },
        AllowEd25519 = true,
    };

    /// <summary>A client-auth device certificate valid 365 days, trusting the given device-identity anchors.</summary>
    public static CertificateProfile Device(string name, TrustAnchors deviceIdentityAnchors) => new()
    {
        Name = name,
        DeviceIdentityAnchors = deviceIdentityAnchors,
        Policies = [],
        Validity = TimeSpan.FromDays(365),
        Keys = DeviceKeys,
        KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature | Org.BouncyCastle.Asn1.X509.KeyUsage.KeyEncipherment,
        ExtendedKeyUsages = [CertificateProfile.ClientAuthOid],
        SubjectRules = null,
        SubjectAltNameRules = null,
    };

    /// <summary>A catalog serving one profile for every given label and the unlabelled route.</summary>
    public static ProfileCatalog Catalog(CertificateProfile profile, IEnumerable<string> labels) =>
        new([profile with { Labels = labels.ToArray(), ServesUnlabelled = true }]);
}
