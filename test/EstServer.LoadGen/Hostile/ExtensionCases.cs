using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>Requested extensions: duplicated, thousands of them, huge ones, unknown critical ones, malformed, two extensionRequest attributes.</summary>
public static class ExtensionCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("ext.duplicate", 1.0, Duplicate),
        new("ext.many", 0.8, Many),
        new("ext.huge", 0.8, Huge),
        new("ext.unknown-critical", 0.6, UnknownCritical),
        new("ext.duplicate-extension-request", 0.8, DuplicateExtensionRequest),
        new("ext.malformed", 0.8, Malformed),
        new("ext.ignored", 0.6, Ignored),
        new("ext.refused", 0.6, Refused),
    ];

    private static HostileCase Duplicate(CaseContext c)
    {
        byte[] extension = c.Random.Next(3) switch
        {
            0 => Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(2, false, "a.devices.example.com"u8))),
            1 => Der.Extension(Oids.KeyUsage, Der.BitString([0x80])),
            _ => Der.Extension("1.3.6.1.4.1.99999.7", Der.Null()),
        };
        int copies = c.Pick(2, 3, 100);
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.PoolKey(KeyKind.EcP256), c.Crypto, Enumerable.Repeat(extension, copies));
        return c.PostSigned($"the same extension {copies} times", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase Many(CaseContext c)
    {
        int count = c.Pick(10, 100, 1000, 2000, 3500, 6000);
        byte[][] extensions = Enumerable.Range(0, count).Select(i => Der.Extension("1.3.6.1.4.1.99999.1." + CaseContext.Count(i), Der.Null())).ToArray();
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.PoolKey(KeyKind.EcP256), c.Crypto, extensions);
        return c.PostSigned($"{count} distinct unknown extensions", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase Huge(CaseContext c)
    {
        int size = c.Pick(1024, 8192, 30000, 45000, 50000, 70000);
        bool ignored = c.Chance(0.3);
        string oid = ignored ? Oids.KeyUsage : c.Pick("1.3.6.1.4.1.99999.2", Oids.NameConstraints);
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.FreshKey(), c.Crypto, [Der.Extension(oid, Der.OctetString(new byte[size]))]);
        // keyUsage is one the shipped profiles ignore, value unread (the profile sets its own): a documented 2xx however big.
        return c.PostSigned($"one {oid} extension of {size} bytes{(ignored ? " (ignored by the profile)" : "")}", csr, ignored ? CaseExpectation.Enrolled : CaseExpectation.Exactly(400));
    }

    private static HostileCase UnknownCritical(CaseContext c)
    {
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), c.PoolKey(KeyKind.EcP256), c.Crypto,
            [Der.Extension("1.3.6.1.4.1.99999.3", Der.Utf8("must understand"), critical: true)]);
        return c.PostSigned("an unknown critical extension", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase DuplicateExtensionRequest(CaseContext c)
    {
        byte[] san = Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(2, false, "a.devices.example.com"u8)));
        int kind = c.Random.Next(3);
        byte[][] attributes = kind switch
        {
            0 => [Der.ExtensionRequest([san]), Der.ExtensionRequest([san])],
            1 => [Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(san), Der.Seq(san)))],
            _ => [Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf())],
        };
        HostileKey key = c.FreshKey();
        byte[] csr = CsrKit.Sign(CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfo, attributes), key, SignatureScheme.EcdsaSha256, c.Crypto);
        return c.PostSigned($"extensionRequest duplicated (kind {kind}: two attributes, two values, no value)", csr, CaseExpectation.Exactly(400));
    }

    private static HostileCase Malformed(CaseContext c)
    {
        int kind = c.Random.Next(6);
        byte[] attribute = kind switch
        {
            0 => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(Der.Seq(Der.Oid(Oids.SubjectAltName))))),
            1 => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(Der.Seq(Der.Oid(Oids.KeyUsage), Der.Integer(1), Der.OctetString(Der.BitString([0x80])))))),
            2 => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(Der.Seq(Der.Oid(Oids.KeyUsage), Der.BitString([0x80]))))),
            3 => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(Der.Null()))),
            4 => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(Der.Extension(Oids.SubjectAltName, c.RandomBytes(40))))),
            _ => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Seq(Der.Seq(Der.Integer(5), Der.OctetString([0x05, 0x00]))))),
        };
        HostileKey key = c.PoolKey(KeyKind.EcP256);
        byte[] csr = CsrKit.Sign(CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfo, [attribute]), key, SignatureScheme.EcdsaSha256, c.Crypto);
        return c.PostSigned($"malformed extensionRequest (kind {kind})", csr, CaseExpectation.Exactly(400));
    }

    /// <summary>keyUsage, extendedKeyUsage, basicConstraints (even CA:TRUE) and subjectKeyIdentifier are ignored by the shipped profiles: a documented 2xx, the profile decides them.</summary>
    private static HostileCase Ignored(CaseContext c)
    {
        byte[][] extensions =
        [
            Der.Extension(Oids.BasicConstraints, Der.Seq(Der.Boolean(true)), critical: true),
            Der.Extension(Oids.KeyUsage, Der.BitString([0x06]), critical: true),
            Der.Extension(Oids.ExtendedKeyUsage, Der.Seq(Der.Oid("1.3.6.1.5.5.7.3.3"), Der.Oid("2.5.29.37.0"))),
            Der.Extension("2.5.29.14", Der.OctetString(c.RandomBytes(20))),
        ];
        int count = c.Between(1, extensions.Length);
        return c.PostSigned($"valid request asking for {count} profile-owned extensions (CA:TRUE, keyCertSign, anyEKU)", c.ValidCsr(extensions: extensions[..count]), CaseExpectation.Enrolled);
    }

    private static HostileCase Refused(CaseContext c)
    {
        byte[] extension = c.Random.Next(4) switch
        {
            0 => Der.Extension(Oids.NameConstraints, Der.Seq(Der.Context(0, true, Der.Seq(Der.Context(2, false, "example.com"u8)))), critical: true),
            1 => Der.Extension("2.5.29.32", Der.Seq(Der.Seq(Der.Oid("2.5.29.32.0")))),
            2 => Der.Extension("1.3.6.1.5.5.7.1.1", Der.Seq(Der.Seq(Der.Oid("1.3.6.1.5.5.7.48.1"), Der.Context(6, false, "http://evil.example/ocsp"u8)))),
            _ => Der.Extension("2.5.29.31", Der.Seq()),
        };
        return c.PostSigned("valid request asking for an extension the profile refuses", c.ValidCsr(extensions: [extension]), CaseExpectation.Exactly(400));
    }
}
