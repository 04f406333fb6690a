using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>The base64 layer of RFC 8951: garbage, truncation, armour, odd wrapping and padding, empty bodies.</summary>
public static class Base64Cases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("b64.garbage", 1.5, Garbage),
        new("b64.truncated", 1.0, Truncated),
        new("b64.pem-armoured", 0.5, PemArmoured),
        new("b64.wrapping", 1.5, Wrapping),
        new("b64.padding-alphabet", 1.0, PaddingAndAlphabet),
        new("b64.empty", 0.5, Empty),
        new("b64.binary-bytes", 0.7, BinaryBytes),
    ];

    private static HostileCase Garbage(CaseContext c)
    {
        int kind = c.Random.Next(4);
        byte[] body = kind switch
        {
            0 => Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, c.Between(1, 2000)).Select(_ => (char)c.Between(0x21, 0x7E)).ToArray())),
            1 => c.RandomBytes(c.Between(1, 3000)),
            2 => Encoding.UTF8.GetBytes(c.Pick("{\"csr\":\"MIIB\"}", "<csr>MIIB</csr>", "null", "csr=MIIB%2B%2F", "😀😀😀😀", "MIIB\u00e9\u00e8AAAA", "\u0000\u0000\u0000\u0000")),
            _ => Encoding.ASCII.GetBytes(new string('A', c.Between(1, 9)) + c.Pick("!", "*", "%", "~", "?", "\"", "\\") + "AAAA"),
        };
        return c.PostBody($"garbage body kind {kind}, {body.Length} bytes", body);
    }

    private static HostileCase Truncated(CaseContext c)
    {
        SeedEntry seed = c.AnySeed();
        int keep = c.Between(0, Math.Max(0, seed.Body.Length - 1));
        return c.PostBody($"seed {seed.Name} cut to {keep} of {seed.Body.Length} bytes", seed.Body[..keep]);
    }

    private static HostileCase PemArmoured(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        string label = c.Pick("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "CERTIFICATE", "PKCS7");
        string text = $"{c.Pick("", "\n", "  ")}-----BEGIN {label}-----\n{Encoding.ASCII.GetString(seed.Body)}-----END {label}-----\n";
        return c.PostBody($"seed {seed.Name} in PEM armour '{label}'", Encoding.ASCII.GetBytes(text));
    }

    private static HostileCase Wrapping(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        int width = c.Pick(0, 1, 2, 3, 4, 63, 64, 65, 76, 1000);
        string newline = c.Pick("\n", "\r\n", "\r", " ", "\t", " \r\n", "\n\n", "\v", "\f", "\r\r\n");
        byte[] wrapped = CaseContext.Base64(seed.Der!, width, newline);
        string lead = c.Pick("", " ", "\n", "\r\n\r\n", "\t");
        byte[] body = [.. Encoding.ASCII.GetBytes(lead), .. wrapped, .. Encoding.ASCII.GetBytes(c.Pick("", "\n", "   "))];
        return c.PostBody($"seed {seed.Name} wrapped at {width} with {Escape(newline)}, lead {Escape(lead)}", body);
    }

    private static HostileCase PaddingAndAlphabet(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        string flat = Convert.ToBase64String(seed.Der!);
        int kind = c.Random.Next(7);
        string text = kind switch
        {
            0 => flat.TrimEnd('='),
            1 => flat + "=",
            2 => flat + "====",
            3 => flat.Insert(c.Between(0, flat.Length / 4) * 4, "===="),
            4 => flat.Replace('+', '-').Replace('/', '_'),
            5 => flat.Insert(c.Between(1, flat.Length - 1), "="),
            _ => flat + "A",
        };
        return c.PostBody($"seed {seed.Name}, padding/alphabet variant {kind}", Encoding.ASCII.GetBytes(text));
    }

    private static HostileCase Empty(CaseContext c)
    {
        string body = c.Pick("", "\r\n", " \t \r\n", "\n\n\n\n", "=", "====");
        return c.PostBody($"empty-ish body {Escape(body)}", Encoding.ASCII.GetBytes(body));
    }

    private static HostileCase BinaryBytes(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        byte[] body = (byte[])seed.Body.Clone();
        int position = c.Between(0, body.Length - 1);
        byte value = c.Pick<byte>(0x00, 0x80, 0xFF, 0x7F, 0x0B, 0x0C, 0xA0, 0xC3);
        body[position] = value;
        return c.PostBody($"seed {seed.Name} with byte 0x{value:X2} at {position}", body);
    }

    internal static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\v", "\\v", StringComparison.Ordinal).Replace("\f", "\\f", StringComparison.Ordinal);
}
