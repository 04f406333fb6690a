using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Wire;

/// <summary>
/// The "certs-only" degenerate CMS SignedData of RFC 7030 §4.1.3 and §4.2.3 (RFC 5652 §5 with no
/// signers and no content): the container EST uses to carry certificates.
/// </summary>
public static class CertsOnlyPkcs7
{
    public static byte[] Encode(IEnumerable<byte[]> certificatesDer)
    {
        Asn1EncodableVector certificates = [];
        foreach (byte[] der in certificatesDer)
        {
            certificates.Add(X509CertificateStructure.GetInstance(der));
        }

        var signedData = new SignedData(
            digestAlgorithms: new DerSet(),
            contentInfo: new ContentInfo(CmsObjectIdentifiers.Data, null),
            certificates: new DerSet(certificates),
            crls: null,
            signerInfos: new DerSet());
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Reads the certificates back out; used by tests and by the load generator's sample checks.</summary>
    public static IReadOnlyList<byte[]> Decode(byte[] der)
    {
        ContentInfo contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
        if (!CmsObjectIdentifiers.SignedData.Equals(contentInfo.ContentType))
        {
            throw new FormatException($"content type is {contentInfo.ContentType}, not signedData");
        }

        SignedData signedData = SignedData.GetInstance(contentInfo.Content);
        var certificates = new List<byte[]>();
        if (signedData.Certificates is not null)
        {
            foreach (Asn1Encodable certificate in signedData.Certificates)
            {
                certificates.Add(certificate.GetEncoded(Asn1Encodable.Der));
            }
        }

        return certificates;
    }
}
