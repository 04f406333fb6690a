namespace EstServer.Core.Tests.Support;

/// <summary>Hand-made DER, for encodings no well-behaved library will produce.</summary>
internal static class Der
{
    /// <summary>
    /// <paramref name="depth"/> constructed headers each wrapping the next, around <paramref name="innermost"/>,
    /// with minimal, correct lengths. Written back to front in one pass, so 64 KiB of nesting is cheap to build.
    /// </summary>
    public static byte[] Nested(int depth, byte tag = 0x30, byte[]? innermost = null)
    {
        innermost ??= [];
        int total = innermost.Length;
        for (int level = 0; level < depth; level++)
        {
            total += 1 + LengthOctets(total).Length;
        }

        byte[] der = new byte[total];
        int position = total - innermost.Length;
        innermost.CopyTo(der, position);
        for (int level = 0; level < depth; level++)
        {
            byte[] length = LengthOctets(total - position);
            position -= length.Length;
            length.CopyTo(der, position);
            der[--position] = tag;
        }

        return der;
    }

    /// <summary>The minimal DER length octets (X.690 §10.1) for <paramref name="length"/>.</summary>
    public static byte[] LengthOctets(int length) => length switch
    {
        < 0x80 => [(byte)length],
        <= 0xFF => [0x81, (byte)length],
        <= 0xFFFF => [0x82, (byte)(length >> 8), (byte)length],
        _ => [0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length],
    };

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();
}
