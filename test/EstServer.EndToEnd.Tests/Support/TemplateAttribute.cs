using System.Formats.Asn1;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>SingleAttributeTemplate ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY OPTIONAL }: a value means "exactly this".</summary>
public sealed record TemplateAttribute(string Oid, byte[]? EncodedValue)
{
    /// <summary>The value as text (any ASN.1 character string), or null when the client fills it in.</summary>
    public string? Text => EncodedValue is null ? null : new AsnReader(EncodedValue, AsnEncodingRules.DER).ReadCharacterString(
        (UniversalTagNumber)new AsnReader(EncodedValue, AsnEncodingRules.DER).PeekTag().TagValue);
}
