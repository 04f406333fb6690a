using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Csr;

/// <summary>
/// A decoded PKCS#10 request (RFC 2986) with the parts EST needs at hand. The signed bytes are kept
/// exactly as received, because re-encoding a non-canonical request would break its signature.
/// </summary>
public sealed class CertificationRequest
{
    internal CertificationRequest(
        byte[] der,
        ReadOnlyMemory<byte> signedInfo,
        AlgorithmIdentifier signatureAlgorithm,
        byte[] signature,
        CertificationRequestInfo info,
        X509Extensions? requestedExtensions,
        GeneralNames? subjectAltNames)
    {
        Der = der;
        SignedInfo = signedInfo;
        SignatureAlgorithm = signatureAlgorithm;
        Signature = signature;
        Info = info;
        RequestedExtensions = requestedExtensions;
        SubjectAltNames = subjectAltNames;
        Key = SubjectKey.Describe(info.SubjectPublicKeyInfo);
    }

    public byte[] Der { get; }

    /// <summary>The DER of certificationRequestInfo as received: what the signature covers.</summary>
    public ReadOnlyMemory<byte> SignedInfo { get; }

    public AlgorithmIdentifier SignatureAlgorithm { get; }

    public byte[] Signature { get; }

    public CertificationRequestInfo Info { get; }

    public X509Name Subject => Info.Subject;

    public SubjectPublicKeyInfo PublicKeyInfo => Info.SubjectPublicKeyInfo;

    public SubjectKey Key { get; }

    public X509Extensions? RequestedExtensions { get; }

    public GeneralNames? SubjectAltNames { get; }

    public bool HasEmptySubject => Subject.GetOidList().Count == 0;
}
