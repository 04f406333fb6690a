using EstServer.Core.Profiles;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Issuance;

/// <summary>Everything that goes into a certificate except the serial number, issuer and signature.</summary>
public sealed record CertificateTemplate(
    X509Name Subject,
    SubjectPublicKeyInfo PublicKey,
    GeneralNames? SubjectAltNames,
    DateTime NotBefore,
    DateTime NotAfter,
    int KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsages)
{
    public IReadOnlyList<CertificatePolicy> Policies { get; init; } = [];

    /// <summary>Extensions copied from the CSR because the profile honours them.</summary>
    public IReadOnlyList<(string Oid, X509Extension Extension)> CopiedExtensions { get; init; } = [];

    public bool BasicConstraintsCritical { get; init; } = true;

    /// <summary>Null for the end-entity certificates the EST routes issue; set only for the dev PKI's CAs.</summary>
    public CaConstraints? Ca { get; init; }

    public int SerialBytes { get; init; } = 16;

    /// <summary>The profile (name and version) the template was built under, for audit.</summary>
    public string Profile { get; init; } = "";
}
