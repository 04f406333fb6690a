using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// The DER layer: random bytes, truncations, nesting far past the server's depth guard (and just
/// around it), absurd and non-minimal lengths, indefinite lengths, trailing data, the wrong structure.
/// </summary>
public static class DerCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("der.garbage", 1.2, Garbage),
        new("der.truncated", 1.2, Truncated),
        new("der.deep-nesting", 1.5, DeepNesting),
        new("der.bad-length", 1.2, BadLength),
        new("der.trailing-data", 1.0, TrailingData),
        new("der.wrong-structure", 1.0, WrongStructure),
        new("der.high-tag", 0.5, HighTag),
        new("der.huge-asn1", 0.8, HugeAsn1),
    ];

    private static HostileCase Garbage(CaseContext c)
    {
        byte[] der = c.RandomBytes(c.Between(1, 4000));
        if (c.Chance(0.5))
        {
            der[0] = 0x30;
        }

        return c.PostDer($"{der.Length} random bytes{(der[0] == 0x30 ? " after a SEQUENCE tag" : "")}", der);
    }

    private static HostileCase Truncated(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.WithDer);
        int keep = c.Between(0, seed.Der!.Length - 1);
        return c.PostDer($"seed {seed.Name} DER cut to {keep} of {seed.Der.Length} bytes", seed.Der[..keep]);
    }

    private static HostileCase DeepNesting(CaseContext c)
    {
        int depth = c.Pick(31, 32, 33, 34, 64, 200, 1000, 5000, 12000, 20000, 40000);
        byte tag = c.Pick<byte>(0x30, 0x31, 0xA0, 0x24, 0x23, 0x7F);
        int kind = c.Random.Next(3);
        byte[] der = kind switch
        {
            0 => Nested(depth, tag),
            1 => Indefinite(depth, tag),
            _ => InsideCsr(c, depth),
        };
        return c.PostDer($"{(kind == 0 ? "definite" : kind == 1 ? "indefinite" : "CSR subject with")} nesting {depth} deep, tag 0x{tag:X2}, {der.Length} bytes", der);
    }

    /// <summary><paramref name="depth"/> constructed values, each holding the next, around a NULL; tag 0x7F stands for SEQUENCE.</summary>
    private static byte[] Nested(int depth, byte tag) => Der.Nested(depth, tag == 0x7F ? Der.Sequence : tag, Der.Null());

    private static byte[] Indefinite(int depth, byte tag)
    {
        var output = new MemoryStream();
        for (int i = 0; i < depth; i++)
        {
            output.WriteByte(tag == 0x7F ? (byte)0x30 : tag);
            output.WriteByte(0x80);
        }

        output.Write(Der.Null());
        for (int i = 0; i < depth; i++)
        {
            output.Write([0x00, 0x00]);
        }

        return output.ToArray();
    }

    private static byte[] InsideCsr(CaseContext c, int depth)
    {
        HostileKey key = c.PoolKey(KeyKind.EcP256);
        byte[] subject = Der.Seq(Der.SetOf(Der.Seq(Der.Oid(Oids.CommonName), Nested(Math.Min(depth, 12000), 0x30))));
        return CsrKit.Sign(CsrKit.Info(subject, key.SubjectPublicKeyInfo), key, SignatureScheme.EcdsaSha256, c.Crypto);
    }

    private static HostileCase BadLength(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.WithDer);
        byte[] der = seed.Der!;
        (int headerLength, int contentLength) = Header(der);
        byte[] content = der[headerLength..];
        int kind = c.Random.Next(9);
        byte[] length = kind switch
        {
            0 => [0x80],
            1 => [0x84, 0xFF, 0xFF, 0xFF, 0xFF],
            2 => [0x84, 0x7F, 0xFF, 0xFF, 0xFF],
            3 => [0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0],
            4 => [0x82, 0x00, (byte)Math.Min(contentLength, 0xFF)],
            5 => Der.Length(contentLength + c.Between(1, 1000)),
            6 => Der.Length(Math.Max(0, contentLength - c.Between(1, 50))),
            7 => [0x83, (byte)(contentLength >> 16), (byte)(contentLength >> 8), (byte)contentLength],
            _ => [0xFF],
        };
        byte[] mutated = [der[0], .. length, .. content];
        return c.PostDer($"seed {seed.Name} with outer length octets {CaseContext.Hex(length)} (kind {kind})", mutated);
    }

    private static HostileCase TrailingData(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.WithDer);
        byte[] tail = c.Random.Next(4) switch
        {
            0 => [0x00],
            1 => [0x00, 0x00],
            2 => seed.Der!,
            _ => c.RandomBytes(c.Between(1, 64)),
        };
        return c.PostDer($"seed {seed.Name} followed by {tail.Length} trailing bytes", [.. seed.Der!, .. tail]);
    }

    private static HostileCase WrongStructure(CaseContext c)
    {
        SeedEntry seed = c.Pick(c.Corpus.Valid);
        (byte[] info, byte[] algorithm, byte[] signature) = TestCsr.Parts(seed.Der!);
        int kind = c.Random.Next(12);
        byte[] der = kind switch
        {
            0 => Der.Integer(c.Random.NextInt64()),
            1 => Der.Null(),
            2 => Der.Seq(),
            3 => Der.Seq(Der.Null(), Der.Null(), Der.Null()),
            4 => Der.Seq(Der.Seq(), Der.Seq(), Der.BitString([])),
            5 => Der.OctetString(seed.Der!),
            6 => Der.SetOf(info, algorithm, signature),
            7 => Der.Context(0, true, seed.Der!),
            8 => Der.Seq(info, algorithm),
            9 => Der.Seq(info, algorithm, signature, Der.Null()),
            10 => Der.Seq(algorithm, info, signature),
            _ => Der.Seq(Der.Oid("1.2.840.113549.1.7.2"), Der.Context(0, true, Der.Seq(Der.Integer(1), Der.SetOf(), Der.Seq(Der.Oid("1.2.840.113549.1.7.1")), Der.SetOf()))),
        };
        return c.PostDer($"wrong structure kind {kind} built from seed {seed.Name}", der);
    }

    private static HostileCase HighTag(CaseContext c)
    {
        byte[] der = c.Random.Next(4) switch
        {
            0 => [0x1F, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00],
            1 => [0x3F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00],
            2 => [0x30, 0x05, 0x1F, 0x81, 0x00, 0x01, 0x00],
            _ => [0x9F, 0x80, 0x00, 0x00],
        };
        return c.PostDer($"high tag number form {CaseContext.Hex(der)}", der);
    }

    /// <summary>Large but shallow: a SEQUENCE of many small elements, or one enormous primitive.</summary>
    private static HostileCase HugeAsn1(CaseContext c)
    {
        int count = c.Pick(1000, 10000, 20000, 30000, 60000);
        byte[] der = c.Chance(0.5)
            ? Der.Seq(Enumerable.Range(0, count / 2).Select(_ => Der.Null()))
            : Der.Seq(Der.OctetString(new byte[count]), Der.Null());
        return c.PostDer($"shallow ASN.1 of {der.Length} bytes", der);
    }

    /// <summary>(header length, content length) of a well-formed DER value.</summary>
    internal static (int HeaderLength, int ContentLength) Header(ReadOnlySpan<byte> der)
    {
        byte first = der[1];
        if (first < 0x80)
        {
            return (2, first);
        }

        int count = first & 0x7F;
        int length = 0;
        for (int i = 0; i < count; i++)
        {
            length = (length << 8) | der[2 + i];
        }

        return (2 + count, length);
    }
}
