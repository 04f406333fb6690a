using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.TestSupport;

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

    /// <summary>
    /// A PKCS#10 request built the way an RFC 9908 client follows the template: the key type and curve it
    /// names, the signature algorithm the answer lists, the subject attributes in template order (fixed
    /// values copied as sent, blanks filled in from <paramref name="fill"/>) and a subjectAltName with
    /// <paramref name="dnsNames"/> only when the template asks for one.
    /// </summary>
    /// <param name="fill">Values for the template's blank subject attributes, by attribute OID.</param>
    public TestCsr FollowTemplate(IReadOnlyDictionary<string, string> fill, IReadOnlyList<string> dnsNames)
    {
        CsrTemplate template = Template ?? throw new AssertionException("the csrattrs answer carries no CertificationRequestInfoTemplate");
        (ECCurve curve, TestKeyType keyType) = (template.KeyAlgorithmOid, template.KeyParameterOid) switch
        {
            (CsrTemplate.EcPublicKeyOid, "1.2.840.10045.3.1.7") => (ECCurve.NamedCurves.nistP256, TestKeyType.EcP256),
            (CsrTemplate.EcPublicKeyOid, "1.3.132.0.34") => (ECCurve.NamedCurves.nistP384, TestKeyType.EcP384),
            (CsrTemplate.EcPublicKeyOid, "1.3.132.0.35") => (ECCurve.NamedCurves.nistP521, TestKeyType.EcP521),
            _ => throw new AssertionException($"this client follows EC key templates only; the template names {template.KeyAlgorithmOid} {template.KeyParameterOid}"),
        };
        TestCsrBuilder request = TestCsr.For(new X500DistinguishedName(SubjectName(template, fill))).Key(ECDsa.Create(curve), keyType).Hash(SignatureHash());
        return (template.ExtensionTemplateOids.Contains(CsrTemplate.SubjectAltNameOid) ? request.DnsNames(dnsNames) : request).Build();
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

    /// <summary>RFC 7030 §4.5.2: a bare signature algorithm OID in the answer says how to sign the CSR.</summary>
    private HashAlgorithmName SignatureHash() =>
        BareOids.Contains("1.2.840.10045.4.3.4") ? HashAlgorithmName.SHA512
        : BareOids.Contains("1.2.840.10045.4.3.3") ? HashAlgorithmName.SHA384
        : HashAlgorithmName.SHA256;

    private static byte[] SubjectName(CsrTemplate template, IReadOnlyDictionary<string, string> fill)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (TemplateAttribute attribute in template.Subject)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(attribute.Oid);
                    if (attribute.EncodedValue is { } value)
                    {
                        writer.WriteEncodedValue(value);
                    }
                    else if (fill.TryGetValue(attribute.Oid, out string? text))
                    {
                        // X.520: serialNumber and countryName are PrintableString; the rest UTF8String.
                        writer.WriteCharacterString(attribute.Oid is "2.5.4.5" or "2.5.4.6" ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String, text);
                    }
                    else
                    {
                        Assert.Fail($"the template asks for subject attribute {attribute.Oid}, which the test has no value for");
                    }
                }
            }
        }

        return writer.Encode();
    }
}
