using System.Formats.Asn1;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// Reads a CSR Attributes answer (RFC 7030 §4.5.2, RFC 9908) with System.Formats.Asn1, independently of
/// the server's BouncyCastle encoder: CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID.
/// </summary>
internal sealed class CsrAttrsReader
{
    public const string TemplateOid = "1.2.840.113549.1.9.16.2.61";
    public const string ExtensionRequestTemplateOid = "1.2.840.113549.1.9.16.2.62";

    private CsrAttrsReader()
    {
    }

    /// <summary>The bare OIDs of the list (e.g. a key algorithm, the signature algorithm to use).</summary>
    public List<string> Oids { get; } = [];

    /// <summary>The attributes of the list, by type, with their values DER-encoded (the template excluded).</summary>
    public Dictionary<string, List<byte[]>> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>The CertificationRequestInfoTemplate's version.</summary>
    public int TemplateVersion { get; private set; } = -1;

    /// <summary>The subject NameTemplate: each attribute type with its value, when the template gives one.</summary>
    public List<(string Oid, string? Value)>? TemplateSubject { get; private set; }

    /// <summary>The string type each valued subject attribute of the template is encoded with (PrintableString, UTF8String).</summary>
    public Dictionary<string, UniversalTagNumber> TemplateSubjectEncodings { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The [0] subjectPKInfo template (RFC 9908: [0] IMPLICIT SubjectPublicKeyInfoTemplate, whose first
    /// element is the AlgorithmIdentifier SEQUENCE): the algorithm and its parameter OID (null for none or NULL).
    /// </summary>
    public (string Algorithm, string? Parameter)? TemplateKey { get; private set; }

    /// <summary>Whether the AlgorithmIdentifier of <see cref="TemplateKey"/> carries an explicit NULL parameter.</summary>
    public bool TemplateKeyHasNullParameter { get; private set; }

    /// <summary>The whole [0] element as sent (tag, length, content), for byte-level checks.</summary>
    public byte[]? TemplateKeyDer { get; private set; }

    /// <summary>The extension OIDs of the extensionReqTemplate attribute inside [1].</summary>
    public List<string> TemplateExtensions { get; } = [];

    /// <summary>Attribute types inside the template's [1] set.</summary>
    public List<string> TemplateAttributeTypes { get; } = [];

    public static CsrAttrsReader Read(byte[] der)
    {
        var result = new CsrAttrsReader();
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        while (list.HasData)
        {
            if (list.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                result.Oids.Add(list.ReadObjectIdentifier());
                continue;
            }

            AsnReader attribute = list.ReadSequence();
            string type = attribute.ReadObjectIdentifier();
            AsnReader values = attribute.ReadSetOf();
            attribute.ThrowIfNotEmpty();
            if (type == TemplateOid)
            {
                result.ReadTemplate(values.ReadSequence());
                values.ThrowIfNotEmpty();
                continue;
            }

            var encoded = new List<byte[]>();
            while (values.HasData)
            {
                encoded.Add(values.ReadEncodedValue().ToArray());
            }

            result.Attributes.Add(type, encoded);
        }

        return result;
    }

    private void ReadTemplate(AsnReader template)
    {
        TemplateVersion = (int)template.ReadInteger();
        if (template.HasData && template.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            TemplateSubject = [];
            AsnReader rdns = template.ReadSequence();
            while (rdns.HasData)
            {
                AsnReader rdn = rdns.ReadSetOf();
                while (rdn.HasData)
                {
                    AsnReader single = rdn.ReadSequence();
                    string oid = single.ReadObjectIdentifier();
                    string? value = null;
                    if (single.HasData)
                    {
                        var encoding = (UniversalTagNumber)single.PeekTag().TagValue;
                        value = single.ReadCharacterString(encoding);
                        TemplateSubjectEncodings.Add(oid, encoding);
                    }

                    single.ThrowIfNotEmpty();
                    TemplateSubject.Add((oid, value));
                }
            }
        }

        var keyTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (template.HasData && template.PeekTag().HasSameClassAndValue(keyTag))
        {
            TemplateKeyDer = template.PeekEncodedValue().ToArray();
            AsnReader keyTemplate = template.ReadSequence(keyTag);
            AsnReader algorithmIdentifier = keyTemplate.ReadSequence();
            string algorithm = algorithmIdentifier.ReadObjectIdentifier();
            string? parameter = null;
            if (algorithmIdentifier.HasData)
            {
                if (algorithmIdentifier.PeekTag().HasSameClassAndValue(Asn1Tag.Null))
                {
                    algorithmIdentifier.ReadNull();
                    TemplateKeyHasNullParameter = true;
                }
                else
                {
                    parameter = algorithmIdentifier.ReadObjectIdentifier();
                }
            }

            algorithmIdentifier.ThrowIfNotEmpty();

            // subjectPublicKey BIT STRING OPTIONAL: a template never holds the key itself.
            keyTemplate.ThrowIfNotEmpty();
            TemplateKey = (algorithm, parameter);
        }

        AsnReader attributes = template.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true));
        template.ThrowIfNotEmpty();
        while (attributes.HasData)
        {
            AsnReader attribute = attributes.ReadSequence();
            string type = attribute.ReadObjectIdentifier();
            TemplateAttributeTypes.Add(type);
            AsnReader values = attribute.ReadSetOf();
            if (type == ExtensionRequestTemplateOid)
            {
                AsnReader extensions = values.ReadSequence();
                while (extensions.HasData)
                {
                    AsnReader extension = extensions.ReadSequence();
                    TemplateExtensions.Add(extension.ReadObjectIdentifier());
                }
            }
        }
    }
}
