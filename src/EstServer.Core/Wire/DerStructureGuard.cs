namespace EstServer.Core.Wire;

/// <summary>
/// Walks a DER encoding iteratively before any recursive parser sees it. ASN.1 parsers recurse once
/// per nesting level, so a 64 KiB body of nested SEQUENCE headers could exhaust the stack and kill the
/// process (a stack overflow cannot be caught in .NET); this rejects such input, along with truncated
/// or non-minimal lengths and BER indefinite lengths, which DER (X.690 §10.1) forbids.
/// </summary>
public static class DerStructureGuard
{
    /// <summary>Certificates and CSRs nest about ten levels deep; 32 leaves room for any real extension.</summary>
    public const int DefaultMaxDepth = 32;

    public static bool IsWellFormed(ReadOnlySpan<byte> der, out string? problem, int maxDepth = DefaultMaxDepth)
    {
        Span<int> ends = stackalloc int[maxDepth + 1];
        int depth = 0;
        ends[0] = der.Length;
        int position = 0;
        bool first = true;

        while (true)
        {
            while (depth > 0 && position == ends[depth])
            {
                depth--;
            }

            if (position == ends[depth])
            {
                break;
            }

            if (depth == 0 && !first)
            {
                problem = "trailing data after the DER value";
                return false;
            }

            first = false;
            if (!TryReadHeader(der, ref position, ends[depth], out bool constructed, out int length, out problem))
            {
                return false;
            }

            if (constructed)
            {
                if (depth == maxDepth)
                {
                    problem = $"DER nesting deeper than {maxDepth} levels";
                    return false;
                }

                ends[++depth] = position + length;
            }
            else
            {
                position += length;
            }
        }

        if (first)
        {
            problem = "empty DER value";
            return false;
        }

        problem = null;
        return true;
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> der, ref int position, int limit, out bool constructed, out int length, out string? problem)
    {
        constructed = false;
        length = 0;
        if (position >= limit)
        {
            problem = "truncated DER tag";
            return false;
        }

        byte tag = der[position++];
        constructed = (tag & 0x20) != 0;
        if ((tag & 0x1F) == 0x1F)
        {
            // High tag number form (X.690 §8.1.2.4): base-128 digits, last one without the top bit.
            int digits = 0;
            while (true)
            {
                if (position >= limit || ++digits > 4)
                {
                    problem = "malformed DER tag";
                    return false;
                }

                if ((der[position++] & 0x80) == 0)
                {
                    break;
                }
            }
        }

        if (position >= limit)
        {
            problem = "truncated DER length";
            return false;
        }

        byte first = der[position++];
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            int count = first & 0x7F;
            if (count == 0)
            {
                problem = "indefinite length is not DER";
                return false;
            }

            if (count > 3 || position + count > limit)
            {
                problem = "DER length out of range";
                return false;
            }

            // X.690 §10.1: the definite form uses the fewest octets, so no leading zero octet and no
            // long form for lengths below 128.
            if (der[position] == 0)
            {
                problem = "DER length has a leading zero octet";
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                length = (length << 8) | der[position++];
            }

            if (length < 0x80)
            {
                problem = "DER length uses the long form for a short length";
                return false;
            }
        }

        if (length > limit - position)
        {
            problem = "DER length runs past the end of its container";
            return false;
        }

        problem = null;
        return true;
    }
}
