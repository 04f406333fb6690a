using System.Formats.Asn1;
using System.Text;

namespace EstServer.TestSupport;

/// <summary>
/// Hand-built DER, one TLV at a time, for encodings no well-behaved library writes (wrong lengths, odd
/// string types, duplicated fields, nesting past any sane depth): the hostile generator and the decoder
/// tests build their inputs with it, so nothing here checks anything.
/// </summary>
public static class Der
{
    public const byte Sequence = 0x30;
    public const byte Set = 0x31;

    private const string CommonNameOid = "2.5.4.3";
    private const string ExtensionRequestOid = "1.2.840.113549.1.9.14";

    public static byte[] Tlv(byte tag, ReadOnlySpan<byte> content)
    {
        byte[] length = Length(content.Length);
        byte[] output = new byte[1 + length.Length + content.Length];
        output[0] = tag;
        length.CopyTo(output, 1);
        content.CopyTo(output.AsSpan(1 + length.Length));
        return output;
    }

    /// <summary>The definite, minimal length octets of X.690 §10.1.</summary>
    public static byte[] Length(int length)
    {
        if (length < 0x80)
        {
            return [(byte)length];
        }

        if (length <= 0xFF)
        {
            return [0x81, (byte)length];
        }

        if (length <= 0xFFFF)
        {
            return [0x82, (byte)(length >> 8), (byte)length];
        }

        if (length <= 0xFFFFFF)
        {
            return [0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length];
        }

        return [0x84, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length];
    }

    /// <summary>
    /// <paramref name="depth"/> constructed headers each wrapping the next, around <paramref name="innermost"/>,
    /// with minimal, correct lengths. Written back to front in one pass, so 64 KiB of nesting is cheap to build.
    /// </summary>
    public static byte[] Nested(int depth, byte tag = Sequence, byte[]? innermost = null)
    {
        innermost ??= [];
        int total = innermost.Length;
        for (int level = 0; level < depth; level++)
        {
            total += 1 + Length(total).Length;
        }

        byte[] der = new byte[total];
        int position = total - innermost.Length;
        innermost.CopyTo(der, position);
        for (int level = 0; level < depth; level++)
        {
            byte[] length = Length(total - position);
            position -= length.Length;
            length.CopyTo(der, position);
            der[--position] = tag;
        }

        return der;
    }

    /// <summary>SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier { algorithm, parameters OPTIONAL }, BIT STRING }, from raw parts.</summary>
    public static byte[] PublicKeyInfo(string algorithmOid, byte[]? parameters, byte[] keyBits) =>
        Seq(AlgorithmIdentifier(algorithmOid, parameters), BitString(keyBits));

    public static byte[] Seq(params byte[][] parts) => Tlv(Sequence, Concat(parts));

    public static byte[] SetOf(params byte[][] parts) => Tlv(Set, Concat(parts));

    public static byte[] Seq(IEnumerable<byte[]> parts) => Tlv(Sequence, Concat(parts));

    public static byte[] SetOf(IEnumerable<byte[]> parts) => Tlv(Set, Concat(parts));

    /// <summary>[n] of a constructed (or primitive) context-specific tag, implicitly tagging <paramref name="content"/>.</summary>
    public static byte[] Context(int number, bool constructed, ReadOnlySpan<byte> content) =>
        Tlv((byte)(0x80 | (constructed ? 0x20 : 0) | number), content);

    public static byte[] Oid(string dotted)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(dotted);
        return writer.Encode();
    }

    public static byte[] Integer(long value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(value);
        return writer.Encode();
    }

    /// <summary>An unsigned big-endian magnitude as a positive INTEGER.</summary>
    public static byte[] UnsignedInteger(ReadOnlySpan<byte> magnitude)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteIntegerUnsigned(magnitude);
        return writer.Encode();
    }

    public static byte[] Null() => [0x05, 0x00];

    public static byte[] Boolean(bool value) => [0x01, 0x01, value ? (byte)0xFF : (byte)0x00];

    public static byte[] OctetString(ReadOnlySpan<byte> content) => Tlv(0x04, content);

    /// <summary>A BIT STRING with no unused bits.</summary>
    public static byte[] BitString(ReadOnlySpan<byte> content)
    {
        byte[] body = new byte[content.Length + 1];
        content.CopyTo(body.AsSpan(1));
        return Tlv(0x03, body);
    }

    public static byte[] Utf8(string value) => Tlv(0x0C, Encoding.UTF8.GetBytes(value));

    public static byte[] Printable(string value) => Tlv(0x13, Encoding.ASCII.GetBytes(value));

    public static byte[] Ia5(string value) => Tlv(0x16, Encoding.ASCII.GetBytes(value));

    /// <summary>One AttributeTypeAndValue in its own RDN SET.</summary>
    public static byte[] Rdn(string oid, byte[] value) => SetOf(Seq(Oid(oid), value));

    /// <summary>A Name with one CN RDN.</summary>
    public static byte[] NameWithCn(string commonName) => Seq(Rdn(CommonNameOid, Utf8(commonName)));

    public static byte[] AlgorithmIdentifier(string oid, byte[]? parameters = null) =>
        parameters is null ? Seq(Oid(oid)) : Seq(Oid(oid), parameters);

    /// <summary>Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.</summary>
    public static byte[] Extension(string oid, byte[] value, bool critical = false) =>
        critical ? Seq(Oid(oid), Boolean(true), OctetString(value)) : Seq(Oid(oid), OctetString(value));

    /// <summary>The extensionRequest attribute (PKCS#9) holding one Extensions value.</summary>
    public static byte[] ExtensionRequest(IEnumerable<byte[]> extensions) =>
        Seq(Oid(ExtensionRequestOid), SetOf(Seq(extensions)));

    /// <summary>[0] IMPLICIT SET OF Attribute, as CertificationRequestInfo carries it.</summary>
    public static byte[] Attributes(IEnumerable<byte[]> attributes) => Context(0, constructed: true, Concat(attributes));

    public static byte[] Concat(IEnumerable<byte[]> parts)
    {
        var buffer = new MemoryStream();
        foreach (byte[] part in parts)
        {
            buffer.Write(part);
        }

        return buffer.ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => Concat((IEnumerable<byte[]>)parts);

    /// <summary>The top-level TLVs inside a constructed value: (tag offset, whole TLV) pairs.</summary>
    public static IReadOnlyList<byte[]> Children(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        AsnReader inner = reader.ReadSequence();
        var children = new List<byte[]>();
        while (inner.HasData)
        {
            children.Add(inner.ReadEncodedValue().ToArray());
        }

        return children;
    }
}
