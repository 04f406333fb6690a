using System.Formats.Asn1;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// RFC 9908 §3.4 CertificationRequestInfoTemplate, decoded strictly by its ASN.1 (module with IMPLICIT TAGS):
/// <code>
/// CertificationRequestInfoTemplate ::= SEQUENCE {
///   version       INTEGER { v1(0) },
///   subject       NameTemplate OPTIONAL,                          -- SEQUENCE OF SET OF SingleAttributeTemplate
///   subjectPKInfo [0] SubjectPublicKeyInfoTemplate OPTIONAL,      -- SEQUENCE { AlgorithmIdentifier, BIT STRING OPTIONAL }
///   attributes    [1] Attributes }
/// </code>
/// </summary>
public sealed record CsrTemplate(
    IReadOnlyList<TemplateAttribute> Subject,
    string? KeyAlgorithmOid,
    string? KeyParameterOid,
    IReadOnlyList<string> ExtensionTemplateOids)
{
    /// <summary>id-aa-extensionReqTemplate (RFC 9908).</summary>
    public const string ExtensionRequestTemplateOid = "1.2.840.113549.1.9.16.2.62";

    /// <summary>PKCS #9 extensionRequest.</summary>
    public const string ExtensionRequestOid = "1.2.840.113549.1.9.14";

    public const string EcPublicKeyOid = "1.2.840.10045.2.1";

    public const string SubjectAltNameOid = "2.5.29.17";

    private static readonly Asn1Tag SubjectPublicKeyInfoTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag AttributesTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    public static CsrTemplate Decode(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader template = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (!template.TryReadInt32(out int version) || version != 0)
        {
            throw new FormatException("CertificationRequestInfoTemplate version must be v1(0)");
        }

        var subject = new List<TemplateAttribute>();
        if (template.HasData && template.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnReader rdns = template.ReadSequence();
            while (rdns.HasData)
            {
                AsnReader rdn = rdns.ReadSetOf();
                while (rdn.HasData)
                {
                    AsnReader single = rdn.ReadSequence();
                    string type = single.ReadObjectIdentifier();
                    byte[]? value = single.HasData ? single.ReadEncodedValue().ToArray() : null;
                    single.ThrowIfNotEmpty();
                    subject.Add(new TemplateAttribute(type, value));
                }
            }
        }

        string? keyAlgorithm = null, keyParameter = null;
        if (template.HasData && template.PeekTag() == SubjectPublicKeyInfoTag)
        {
            AsnReader keyInfo = template.ReadSequence(SubjectPublicKeyInfoTag);
            if (!keyInfo.HasData || !keyInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                string found = keyInfo.HasData ? keyInfo.PeekTag().ToString() : "nothing";
                throw new FormatException(
                    $"subjectPKInfo [0] must hold a SubjectPublicKeyInfoTemplate whose first component is an AlgorithmIdentifier SEQUENCE (RFC 9908 §3.4); found {found}");
            }

            AsnReader algorithm = keyInfo.ReadSequence();
            keyAlgorithm = algorithm.ReadObjectIdentifier();
            if (algorithm.HasData && algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                keyParameter = algorithm.ReadObjectIdentifier();
            }
            else if (algorithm.HasData)
            {
                algorithm.ReadNull();
            }

            algorithm.ThrowIfNotEmpty();
            if (keyInfo.HasData)
            {
                _ = keyInfo.ReadBitString(out _);
            }

            keyInfo.ThrowIfNotEmpty();
        }

        var extensionOids = new List<string>();
        AsnReader attributes = template.ReadSetOf(AttributesTag);
        template.ThrowIfNotEmpty();
        while (attributes.HasData)
        {
            (string type, List<byte[]> values) = CsrAttrsResponse.ReadAttribute(attributes);
            if (type is ExtensionRequestTemplateOid or ExtensionRequestOid)
            {
                foreach (byte[] value in values)
                {
                    // ExtensionReqTemplate ::= SEQUENCE OF ExtensionTemplate { extnID, critical DEFAULT FALSE, extnValue OPTIONAL }
                    AsnReader list = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                    while (list.HasData)
                    {
                        extensionOids.Add(list.ReadSequence().ReadObjectIdentifier());
                    }
                }
            }
        }

        return new CsrTemplate(subject, keyAlgorithm, keyParameter, extensionOids);
    }
}
