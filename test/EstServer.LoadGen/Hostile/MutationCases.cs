using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Mutations of the seed corpus, at the DER level (then base64-encoded) and at the text level: bit
/// flips, interesting bytes, truncations, splices of two seeds, insertions, deletions, repeats, length
/// tweaks. The expectation is the <see cref="BodyOracle"/>'s: a mutation that leaves the DER of a valid
/// seed intact (only whitespace changed, say) must still be issued.
/// </summary>
public static class MutationCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("mutation.der-bit-flip", 4.0, DerBitFlip),
        new("mutation.der-structural", 4.0, DerStructural),
        new("mutation.der-splice", 2.0, DerSplice),
        new("mutation.text", 3.0, Text),
        new("mutation.stacked", 2.0, Stacked),
    ];

    private static HostileCase DerBitFlip(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.WithDer);
        byte[] der = (byte[])seed.Der!.Clone();
        int flips = c.Pick(1, 1, 1, 2, 4, 16);
        var positions = new List<int>();
        for (int i = 0; i < flips; i++)
        {
            int position = c.Between(0, der.Length - 1);
            der[position] ^= (byte)(1 << c.Random.Next(8));
            positions.Add(position);
        }

        return c.PostDer($"seed {seed.Name} with {flips} bit flip(s) at {string.Join(",", positions)}", der);
    }

    private static HostileCase DerStructural(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.WithDer);
        return c.PostDer($"seed {seed.Name} {Describe(c, seed.Der!, out byte[] mutated)}", mutated);
    }

    private static string Describe(CaseContext c, byte[] der, out byte[] mutated)
    {
        mutated = Mutate(c, der, out string how);
        return how;
    }

    /// <summary>One random structural mutation of a DER value; <paramref name="how"/> says which.</summary>
    public static byte[] Mutate(CaseContext c, byte[] der, out string how)
    {
        int at = c.Between(0, der.Length - 1);
        int length = c.Between(1, Math.Max(1, Math.Min(64, der.Length - at)));
        switch (c.Random.Next(8))
        {
            case 0:
                {
                    byte value = c.Pick<byte>(0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF, 0x30, 0x31, 0xA0, 0x05, 0x06, 0x1F);
                    byte[] result = (byte[])der.Clone();
                    result[at] = value;
                    how = $"byte {at} set to 0x{value:X2}";
                    return result;
                }

            case 1:
                how = $"cut to {at} bytes";
                return der[..at];
            case 2:
                {
                    byte[] insert = c.RandomBytes(length);
                    how = $"{length} random bytes inserted at {at}";
                    return [.. der[..at], .. insert, .. der[at..]];
                }

            case 3:
                how = $"{length} bytes deleted at {at}";
                return [.. der[..at], .. der[Math.Min(der.Length, at + length)..]];
            case 4:
                {
                    byte[] slice = der[at..Math.Min(der.Length, at + length)];
                    int times = c.Pick(2, 10, 100);
                    how = $"{slice.Length} bytes at {at} repeated {times} times";
                    return [.. der[..at], .. Enumerable.Repeat(slice, times).SelectMany(s => s), .. der[(at + slice.Length)..]];
                }

            case 5:
                {
                    // A length octet nudged: find a plausible TLV header (a constructed tag followed by a length).
                    int header = Array.FindIndex(der, at, b => b is 0x30 or 0x31 or 0xA0 or 0xA3);
                    header = header < 0 || header + 1 >= der.Length ? 0 : header;
                    byte[] result = (byte[])der.Clone();
                    int delta = c.Pick(-2, -1, 1, 2, 0x40);
                    result[header + 1] = (byte)(result[header + 1] + delta);
                    how = $"length octet after byte {header} changed by {delta}";
                    return result;
                }

            case 6:
                {
                    int from = c.Between(0, der.Length - 1);
                    int to = c.Between(0, der.Length - 1);
                    byte[] result = (byte[])der.Clone();
                    (result[from], result[to]) = (result[to], result[from]);
                    how = $"bytes {from} and {to} swapped";
                    return result;
                }

            default:
                {
                    byte[] result = (byte[])der.Clone();
                    for (int i = at; i < Math.Min(der.Length, at + length); i++)
                    {
                        result[i] = 0xFF;
                    }

                    how = $"{length} bytes at {at} set to 0xFF";
                    return result;
                }
        }
    }

    private static HostileCase DerSplice(CaseContext c)
    {
        SeedEntry first = c.Pick(c.Corpus.WithDer);
        SeedEntry second = c.Pick(c.Corpus.WithDer);
        int cutFirst = c.Between(0, first.Der!.Length);
        int cutSecond = c.Between(0, second.Der!.Length);
        byte[] spliced = [.. first.Der[..cutFirst], .. second.Der[cutSecond..]];
        return c.PostDer($"seeds {first.Name}[..{cutFirst}] + {second.Name}[{cutSecond}..]", spliced);
    }

    /// <summary>Mutations of the base64 text itself: characters changed, dropped, duplicated, whitespace inserted.</summary>
    private static HostileCase Text(CaseContext c)
    {
        SeedEntry seed = c.AnySeed();
        byte[] body = seed.Body;
        if (body.Length == 0)
        {
            return c.PostBody($"seed {seed.Name} (empty)", body);
        }

        int at = c.Between(0, body.Length - 1);
        int kind = c.Random.Next(6);
        byte[] mutated = kind switch
        {
            0 => Replace(body, at, (byte)c.Pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".ToCharArray())),
            1 => [.. body[..at], .. body[(at + 1)..]],
            2 => [.. body[..at], body[at], .. body[at..]],
            3 => [.. body[..at], .. Encoding.ASCII.GetBytes(c.Pick(" ", "\r\n", "\t", "\n\n", "  \r\n ")), .. body[at..]],
            4 => Replace(body, at, (byte)(body[at] ^ (1 << c.Random.Next(8)))),
            _ => [.. body[..at], .. Encoding.ASCII.GetBytes(c.Pick("====", "A", "AA", "AAA", "AAAA")), .. body[at..]],
        };
        return c.PostBody($"seed {seed.Name} text mutation {kind} at {at}", mutated);
    }

    private static HostileCase Stacked(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.WithDer);
        byte[] der = seed.Der!;
        int rounds = c.Between(2, 6);
        var steps = new List<string>();
        for (int i = 0; i < rounds && der.Length > 0; i++)
        {
            der = Mutate(c, der, out string how);
            steps.Add(how);
        }

        return c.PostDer($"seed {seed.Name} after {steps.Count} mutations: {string.Join("; ", steps)}", der);
    }

    private static byte[] Replace(byte[] body, int at, byte value)
    {
        byte[] result = (byte[])body.Clone();
        result[at] = value;
        return result;
    }
}
