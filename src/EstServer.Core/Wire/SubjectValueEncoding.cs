using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Wire;

/// <summary>
/// How subject values are encoded: PrintableString where X.520 asks for it (C, serialNumber,
/// dnQualifier) and the value fits, otherwise UTF8String (RFC 5280 §4.1.2.6). BouncyCastle's default
/// writes those attributes as PrintableString even when a value (say "SN_42") cannot be one, which
/// produces a name other parsers reject.
/// </summary>
public sealed class SubjectValueEncoding : X509DefaultEntryConverter
{
    public static SubjectValueEncoding Converter { get; } = new();

    private static readonly HashSet<string> Printable = ["2.5.4.6", "2.5.4.5", "2.5.4.46"];

    public override Asn1Object GetConvertedValue(DerObjectIdentifier oid, string value)
    {
        if (Printable.Contains(oid.Id))
        {
            return DerPrintableString.IsPrintableString(value) ? new DerPrintableString(value) : new DerUtf8String(value);
        }

        return base.GetConvertedValue(oid, value);
    }

    /// <summary>The same choice for a template value (csrattrs).</summary>
    public static Asn1Encodable Encode(string oid, string value) =>
        Printable.Contains(oid) && DerPrintableString.IsPrintableString(value) ? new DerPrintableString(value) : new DerUtf8String(value);
}
