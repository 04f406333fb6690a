using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Issuance;

/// <summary>Everything that goes into a certificate except the serial, issuer and signature.</summary>
public sealed record CertificateTemplate(
    X509Name Subject,
    SubjectPublicKeyInfo PublicKey,
    GeneralNames? SubjectAltNames,
    DateTime NotBefore,
    DateTime NotAfter,
    int KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsages);
