using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// Reads a certs-only CMS SignedData (RFC 7030 §4.1.3) with the platform's ASN.1 reader, independently
/// of the server's own encoder: content type signedData, no digest algorithms, no content, no signers.
/// </summary>
public static class CertsOnlyReader
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string DataOid = "1.2.840.113549.1.7.1";

    public static IReadOnlyList<X509Certificate2> ReadBase64(string body) => Read(Convert.FromBase64String(body));

    public static IReadOnlyList<X509Certificate2> Read(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.BER);
        AsnReader contentInfo = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        string contentType = contentInfo.ReadObjectIdentifier();
        if (contentType != SignedDataOid)
        {
            throw new FormatException($"content type {contentType} is not signedData");
        }

        AsnReader explicitContent = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        contentInfo.ThrowIfNotEmpty();
        AsnReader signedData = explicitContent.ReadSequence();
        explicitContent.ThrowIfNotEmpty();
        _ = signedData.ReadInteger();
        if (signedData.ReadSetOf(skipSortOrderValidation: true).HasData)
        {
            throw new FormatException("certs-only SignedData must list no digest algorithms");
        }

        AsnReader encapsulated = signedData.ReadSequence();
        string encapsulatedType = encapsulated.ReadObjectIdentifier();
        if (encapsulatedType != DataOid || encapsulated.HasData)
        {
            throw new FormatException("certs-only SignedData must encapsulate empty id-data");
        }

        var certificates = new List<X509Certificate2>();
        var certificatesTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(certificatesTag))
        {
            AsnReader set = signedData.ReadSetOf(skipSortOrderValidation: true, certificatesTag);
            while (set.HasData)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(set.ReadEncodedValue().Span));
            }
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            _ = signedData.ReadEncodedValue();
        }

        if (signedData.ReadSetOf(skipSortOrderValidation: true).HasData)
        {
            throw new FormatException("certs-only SignedData must have no signerInfos");
        }

        signedData.ThrowIfNotEmpty();
        return certificates;
    }
}
