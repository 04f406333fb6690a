using System.Text;
using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>Subjects: thousands of RDNs, a CN of up to 60 KB, odd string types and bytes, attributes the profile does not allow.</summary>
public static class SubjectCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("subject.many-rdns", 1.0, ManyRdns),
        new("subject.huge-cn", 1.0, HugeCommonName),
        new("subject.odd-strings", 1.2, OddStrings),
        new("subject.string-types", 0.6, StringTypes),
        new("subject.disallowed-attribute", 0.8, DisallowedAttribute),
        new("subject.client-value-mismatch", 0.5, ClientValueMismatch),
    ];

    private static HostileCase ManyRdns(CaseContext c)
    {
        int count = c.Pick(2, 10, 100, 1000, 3000, 5000);
        int kind = c.Random.Next(3);
        IEnumerable<byte[]> rdns = Enumerable.Range(0, count).Select(i => kind switch
        {
            0 => Der.Rdn(Oids.CommonName, Der.Utf8(c.UniqueName)),
            1 => Der.Rdn("1.3.6.1.4.1.99999.5." + CaseContext.Count(i), Der.Utf8("x")),
            _ => Der.SetOf(Der.Seq(Der.Oid(Oids.CommonName), Der.Utf8("a" + CaseContext.Count(i))), Der.Seq(Der.Oid(Oids.Organization), Der.Utf8("Example Devices"))),
        });
        byte[] csr = CsrKit.Simple(Der.Seq(rdns), c.PoolKey(KeyKind.EcP256), c.Crypto);
        return c.PostSigned($"subject with {count} RDNs (kind {kind})", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase HugeCommonName(CaseContext c)
    {
        int length = c.Pick(65, 1000, 10000, 30000, 45000, 60000);
        char fill = c.Pick('a', 'Z', '9', 'é');
        byte[] csr = CsrKit.Simple(Der.NameWithCn(new string(fill, length)), c.PoolKey(KeyKind.EcP256), c.Crypto);
        return c.PostSigned($"CN of {length} × '{fill}'", csr, CaseExpectation.Exactly(400));
    }

    /// <summary>CN values the shipped CN pattern must refuse, in every string type and with bytes that do not decode.</summary>
    private static HostileCase OddStrings(CaseContext c)
    {
        int kind = c.Random.Next(12);
        byte[] value = kind switch
        {
            0 => Der.Tlv(0x1E, [0x00, 0x61, 0x00]),
            1 => Der.Tlv(0x1C, [0x00, 0x00, 0x00, 0x61, 0x00]),
            2 => Der.Tlv(0x0C, [0x61, 0xC3, 0x28, 0xFF, 0xFE]),
            3 => Der.Utf8("dev\u0000ice"),
            4 => Der.Integer(12345),
            5 => Der.Utf8(""),
            6 => Der.Utf8("line\r\nbreak"),
            7 => Der.Utf8(new string('x', 65)),
            8 => Der.Utf8("-leading-dash"),
            9 => Der.Tlv(0x14, [0x61, 0xC0, 0xFF]),
            10 => Der.Seq(Der.Utf8("a"), Der.Utf8("b")),
            _ => Der.Utf8("#3003020101"),
        };
        byte[] subject = Der.Seq(Der.Rdn(Oids.CommonName, value));
        byte[] csr = CsrKit.Simple(subject, c.PoolKey(KeyKind.EcP256), c.Crypto);
        return c.PostSigned($"CN value kind {kind}: {CaseContext.Hex(value.AsSpan(0, Math.Min(value.Length, 16)))}", csr, CaseExpectation.Exactly(400));
    }

    /// <summary>A CN the pattern accepts in another string type (Printable, BMP, T61, IA5) or with the fixed O repeated: a documented 2xx.</summary>
    private static HostileCase StringTypes(CaseContext c)
    {
        string name = c.UniqueName;
        int kind = c.Random.Next(5);
        byte[] subject = kind switch
        {
            0 => Der.Seq(Der.Rdn(Oids.CommonName, Der.Printable(name))),
            1 => Der.Seq(Der.Rdn(Oids.CommonName, Der.Tlv(0x1E, Encoding.BigEndianUnicode.GetBytes(name)))),
            2 => Der.Seq(Der.Rdn(Oids.CommonName, Der.Tlv(0x14, Encoding.ASCII.GetBytes(name)))),
            3 => Der.Seq(Der.Rdn(Oids.CommonName, Der.Ia5(name))),
            _ => Der.Seq(Der.Rdn(Oids.Organization, Der.Utf8("Example Devices")), Der.Rdn(Oids.CommonName, Der.Utf8(name))),
        };
        byte[] csr = CsrKit.Simple(subject, c.FreshKey(), c.Crypto);
        return c.PostSigned($"valid CN in string type kind {kind} (Printable, BMP, T61, IA5, with O)", csr, CaseExpectation.Enrolled);
    }

    private static HostileCase DisallowedAttribute(CaseContext c)
    {
        (string oid, byte[] value) = c.Pick(
            (Oids.OrganizationalUnit, Der.Utf8("Ops")),
            (Oids.Country, Der.Printable("ZZ")),
            ("2.5.4.7", Der.Utf8("Nowhere")),
            ("1.2.840.113549.1.9.1", Der.Ia5("root@example.com")),
            ("0.9.2342.19200300.100.1.25", Der.Ia5("example")),
            ("1.3.6.1.4.1.99999.9", Der.Utf8("x")),
            (Oids.Organization, Der.Utf8("Evil Devices")));
        byte[] subject = Der.Seq(Der.Rdn(Oids.CommonName, Der.Utf8(c.UniqueName)), Der.Rdn(oid, value));
        return c.PostSigned($"subject with {oid}", CsrKit.Simple(subject, c.PoolKey(KeyKind.EcP256), c.Crypto), CaseExpectation.Exactly(400));
    }

    /// <summary>serialNumber must be the client certificate's (copied from the IDevID): asking for another one is 403.</summary>
    private static HostileCase ClientValueMismatch(CaseContext c)
    {
        byte[] subject = Der.Seq(Der.Rdn(Oids.CommonName, Der.Utf8(c.UniqueName)), Der.Rdn(Oids.SerialNumber, Der.Printable("NOT-YOUR-SERIAL-" + CaseContext.Count(c.Between(0, 999)))));
        return c.PostSigned("serialNumber differing from the client certificate's", CsrKit.Simple(subject, c.FreshKey(), c.Crypto), CaseExpectation.Exactly(403));
    }
}
