using System.Security.Cryptography;
using EstServer.Core.Issuance;
using Org.BouncyCastle.Ocsp;

namespace EstServer.Core.Revocation;

/// <summary>
/// The issuerNameHash and issuerKeyHash a CertID names our CA by (RFC 6960 §4.1.1), for each hash
/// algorithm we accept, computed once: a request is matched with two byte comparisons.
/// </summary>
internal sealed class OcspIssuerHashes
{
    private readonly Dictionary<string, (byte[] Name, byte[] Key)> _byAlgorithm;

    public OcspIssuerHashes(IssuingCa ca)
    {
        // The name hash is over the DER of the CA's subject as it stands in its certificate; the key
        // hash over the subjectPublicKey BIT STRING's value, tag and length excluded.
        using var platform = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(ca.ChainDer[0]);
        byte[] name = platform.SubjectName.RawData;
        byte[] key = ca.Certificate.CertificateStructure.SubjectPublicKeyInfo.PublicKey.GetOctets();
        _byAlgorithm = new Dictionary<string, (byte[], byte[])>(StringComparer.Ordinal)
        {
            [Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1.Id] = (SHA1.HashData(name), SHA1.HashData(key)),
            ["2.16.840.1.101.3.4.2.1"] = (SHA256.HashData(name), SHA256.HashData(key)),
            ["2.16.840.1.101.3.4.2.2"] = (SHA384.HashData(name), SHA384.HashData(key)),
            ["2.16.840.1.101.3.4.2.3"] = (SHA512.HashData(name), SHA512.HashData(key)),
        };
    }

    /// <summary>Whether the CertID names our CA; false too for a hash algorithm we do not compute.</summary>
    public bool Matches(CertificateID id) =>
        _byAlgorithm.TryGetValue(id.HashAlgOid, out (byte[] Name, byte[] Key) ours)
        && id.GetIssuerKeyHash().AsSpan().SequenceEqual(ours.Key)
        && id.GetIssuerNameHash().AsSpan().SequenceEqual(ours.Name);
}
