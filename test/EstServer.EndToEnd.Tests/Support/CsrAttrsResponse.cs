using System.Formats.Asn1;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// A CSR Attributes answer (RFC 7030 §4.5.2, RFC 9908 §3) decoded with the platform's ASN.1 reader,
/// independently of the server's encoder. CsrAttrs ::= SEQUENCE OF AttrOrOID, where AttrOrOID is a bare
/// OBJECT IDENTIFIER or an Attribute { type, values SET OF ANY }.
/// </summary>
public sealed class CsrAttrsResponse
{
    /// <summary>id-aa-certificationRequestInfoTemplate (RFC 9908).</summary>
    public const string TemplateOid = "1.2.840.113549.1.9.16.2.61";

    private readonly byte[]? _templateDer;

    private CsrAttrsResponse(IReadOnlyList<string> bareOids, IReadOnlyDictionary<string, IReadOnlyList<byte[]>> attributes, byte[]? templateDer)
    {
        BareOids = bareOids;
        Attributes = attributes;
        _templateDer = templateDer;
    }

    /// <summary>The OIDs listed on their own (e.g. the signature algorithm to use, id-Ed25519).</summary>
    public IReadOnlyList<string> BareOids { get; }

    /// <summary>The attributes by type, each with its encoded values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<byte[]>> Attributes { get; }

    /// <summary>The RFC 9908 template, if the answer carries one; decoded on use, so a malformed template fails only what reads it.</summary>
    public CsrTemplate? Template => _templateDer is null ? null : CsrTemplate.Decode(_templateDer);

    public static CsrAttrsResponse DecodeBase64(string body) => Decode(Convert.FromBase64String(body));

    public static CsrAttrsResponse Decode(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader items = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var bareOids = new List<string>();
        var attributes = new Dictionary<string, IReadOnlyList<byte[]>>(StringComparer.Ordinal);
        byte[]? template = null;
        while (items.HasData)
        {
            if (items.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                bareOids.Add(items.ReadObjectIdentifier());
                continue;
            }

            (string type, List<byte[]> values) = ReadAttribute(items);
            if (!attributes.TryAdd(type, values))
            {
                throw new FormatException($"attribute {type} appears twice in CsrAttrs");
            }

            if (type == TemplateOid)
            {
                if (values.Count != 1)
                {
                    throw new FormatException($"the template attribute must have exactly one value, has {values.Count}");
                }

                template = values[0];
            }
        }

        return new CsrAttrsResponse(bareOids, attributes, template);
    }

    /// <summary>Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }.</summary>
    internal static (string Type, List<byte[]> Values) ReadAttribute(AsnReader reader)
    {
        AsnReader attribute = reader.ReadSequence();
        string type = attribute.ReadObjectIdentifier();
        AsnReader set = attribute.ReadSetOf();
        attribute.ThrowIfNotEmpty();
        var values = new List<byte[]>();
        while (set.HasData)
        {
            values.Add(set.ReadEncodedValue().ToArray());
        }

        return (type, values);
    }
}
