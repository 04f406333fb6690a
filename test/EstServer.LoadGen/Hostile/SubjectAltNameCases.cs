using System.Text;
using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>subjectAltName: thousands of names, nested garbage, every GeneralName kind, malformed values.</summary>
public static class SubjectAltNameCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("san.many", 1.0, Many),
        new("san.garbage", 1.5, Garbage),
        new("san.deep", 0.6, Deep),
        new("san.valid", 0.6, Valid),
        new("san.overlong-dns-name", 0.4, OverlongDnsName),
    ];

    /// <summary>
    /// dNSNames the default profile's pattern matches but which are not DNS names: a label longer than 63
    /// octets, or a name longer than 253 (RFC 1034 §3.5, required by RFC 5280 §4.2.1.6). A CA must not
    /// certify them, so 400.
    /// </summary>
    private static HostileCase OverlongDnsName(CaseContext c)
    {
        int length = c.Pick(64, 100, 254, 1024, 20000);
        bool hyphenated = c.Chance(0.5);
        string label = hyphenated ? string.Concat(Enumerable.Range(0, length).Select(i => i % 8 == 7 ? '-' : 'x')) + "x" : new string('a', length);
        string name = label + ".devices.example.com";
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.FreshKey(), c.Crypto,
            [Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(2, false, Encoding.ASCII.GetBytes(name))))]);
        return c.PostSigned($"dNSName with a {label.Length}-character first label ({name.Length} characters in all)", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase Many(CaseContext c)
    {
        int count = c.Pick(3, 10, 100, 1000, 2000, 4000);
        IEnumerable<byte[]> names = Enumerable.Range(0, count).Select(i => Der.Context(2, false, Encoding.ASCII.GetBytes($"n{i}.devices.example.com")));
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.PoolKey(KeyKind.EcP256), c.Crypto, [Der.Extension(Oids.SubjectAltName, Der.Seq(names))]);
        return c.PostSigned($"{count} dNSNames", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase Garbage(CaseContext c)
    {
        int kind = c.Random.Next(16);
        byte[] value = kind switch
        {
            0 => Der.Seq(Der.Context(0, true, Der.Concat(Der.Oid("1.3.6.1.4.1.311.20.2.3"), Der.Context(0, true, Der.Nested(20, innermost: Der.Null()))))),
            1 => Der.Seq(Der.Context(4, true, Der.Seq(Der.SetOf(Der.Seq(Der.Oid(Oids.CommonName), Der.Null()))))),
            2 => Der.Seq(Der.Context(4, true, c.RandomBytes(12))),
            3 => Der.Seq(Der.Context(3, true, Der.Seq(Der.Null()))),
            4 => Der.Seq(Der.Context(5, true, Der.Seq(Der.Context(1, true, Der.Utf8("edi"))))),
            5 => Der.Seq(Der.Context(8, false, Der.Oid("1.2.3.4")[2..])),
            6 => Der.Seq(Der.Context(7, false, [10, 0, 0, 1, 5])),
            7 => Der.Seq(Der.Context(7, false, [10, 0, 0, 1])),
            8 => Der.Seq(Der.Context(2, false, "a\0.devices.example.com"u8)),
            9 => Der.Seq(Der.Context(2, true, Der.Ia5("a.devices.example.com"))),
            10 => Der.Seq(Der.Context(2, false, Encoding.UTF8.GetBytes("ü.devices.example.com"))),
            11 => Der.Seq(Der.Context(6, false, "https://a.devices.example.com/"u8)),
            12 => Der.Seq(Der.Context(1, false, "root@devices.example.com"u8)),
            13 => Der.Seq(),
            14 => c.RandomBytes(c.Between(1, 64)),
            _ => Der.Seq(Der.Context(2, false, "evil.example.com"u8)),
        };
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.PoolKey(KeyKind.EcP256), c.Crypto, [Der.Extension(Oids.SubjectAltName, value)]);
        return c.PostSigned($"subjectAltName garbage kind {kind}", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase Deep(CaseContext c)
    {
        int depth = c.Pick(30, 33, 40, 100, 1000);
        byte[] value = Der.Seq(Der.Context(0, true, Der.Concat(Der.Oid("1.3.6.1.4.1.99999.6"), Der.Context(0, true, Der.Nested(depth, innermost: Der.Null())))));
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.PoolKey(KeyKind.EcP256), c.Crypto, [Der.Extension(Oids.SubjectAltName, value)]);
        return c.PostSigned($"otherName nested {depth} deep inside subjectAltName", csr, CaseExpectation.Exactly(400));
    }

    /// <summary>One or two names under *.devices.example.com: what the shipped default profile allows, a documented 2xx.</summary>
    private static HostileCase Valid(CaseContext c)
    {
        int count = c.Between(1, 2);
        IEnumerable<byte[]> names = Enumerable.Range(0, count).Select(i => Der.Context(2, false, Encoding.ASCII.GetBytes($"{c.UniqueName}-{i}.devices.example.com")));
        return c.PostSigned($"valid request with {count} allowed dNSNames", c.ValidCsr(extensions: [Der.Extension(Oids.SubjectAltName, Der.Seq(names))]), CaseExpectation.Enrolled);
    }
}
