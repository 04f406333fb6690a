using EstServer.TestSupport;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// PKCS#10 semantics: broken proof of possession (tampered signature or content, someone else's key),
/// broken hashes, wrong or unknown signature algorithms, bad versions, no name, odd attributes, and
/// the valid requests every run must see accepted.
/// </summary>
public static class CsrCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("csr.tampered-signature", 1.5, TamperedSignature),
        new("csr.tampered-info", 1.0, TamperedInfo),
        new("csr.key-mismatch", 0.8, KeyMismatch),
        new("csr.weak-hash", 1.0, WeakHash),
        new("csr.signature-algorithm", 1.0, SignatureAlgorithm),
        new("csr.version", 0.6, Version),
        new("csr.empty-subject", 0.5, EmptySubject),
        new("csr.attribute-ignored", 0.5, AttributeIgnored),
        new("csr.attribute-malformed", 0.7, AttributeMalformed),
        new("valid.control", 1.2, ValidControl),
        new("valid.key-types", 0.8, ValidKeyTypes),
    ];

    private static HostileCase TamperedSignature(CaseContext c)
    {
        HostileKey key = c.PoolKey(c.Pick(KeyKind.EcP256, KeyKind.EcP384, KeyKind.Ed25519, KeyKind.Rsa2048));
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName), key, c.Crypto);
        (byte[] info, byte[] algorithm, byte[] bitString) = TestCsr.Parts(csr);
        byte[] signature = bitString[DerCases.Header(bitString).HeaderLength..][1..];
        int kind = c.Random.Next(6);
        byte[] tampered;
        switch (kind)
        {
            case 0:
                tampered = (byte[])signature.Clone();
                tampered[c.Between(0, tampered.Length - 1)] ^= (byte)(1 << c.Random.Next(8));
                break;
            case 1:
                tampered = signature[..^c.Between(1, Math.Min(8, signature.Length))];
                break;
            case 2:
                tampered = new byte[signature.Length];
                break;
            case 3:
                tampered = [];
                break;
            case 4:
                tampered = [.. signature, 0x00];
                break;
            default:
                // The right signature with 7 unused bits declared in the BIT STRING.
                return c.PostSigned($"{key.Kind} signature BIT STRING with 7 unused bits", Der.Seq(info, algorithm, Der.Tlv(0x03, [0x07, .. signature])), CaseExpectation.Exactly(400));
        }

        return c.PostSigned($"{key.Kind} signature tampered (kind {kind})", CsrKit.Assemble(info, algorithm, tampered), CaseExpectation.Exactly(400));
    }

    private static HostileCase TamperedInfo(CaseContext c)
    {
        HostileKey key = c.PoolKey(c.Pick(KeyKind.EcP256, KeyKind.Ed25519, KeyKind.Rsa2048));
        byte[] csr = CsrKit.Simple(Der.NameWithCn(c.UniqueName + "a"), key, c.Crypto);
        byte[] tampered = (byte[])csr.Clone();
        int at = tampered.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(c.UniqueName + "a"));
        tampered[at + c.UniqueName.Length] = (byte)'b';
        return c.PostSigned($"{key.Kind} request whose CN was edited after signing", tampered, CaseExpectation.Exactly(400));
    }

    private static HostileCase KeyMismatch(CaseContext c)
    {
        KeyKind kind = c.Pick(KeyKind.EcP256, KeyKind.Ed25519);
        HostileKey claimed = c.FreshKey(kind);
        HostileKey signer = c.PoolKey(kind);
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), claimed.SubjectPublicKeyInfo);
        return c.PostSigned($"{kind} request naming one key, signed by another", CsrKit.Sign(info, signer, signer.DefaultScheme, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase WeakHash(CaseContext c)
    {
        (KeyKind kind, SignatureScheme scheme) = c.Pick(
            (KeyKind.Rsa2048, SignatureScheme.RsaSha1),
            (KeyKind.Rsa2048, SignatureScheme.RsaMd5),
            (KeyKind.Rsa2048, SignatureScheme.RsaPssSha1Default),
            (KeyKind.EcP256, SignatureScheme.EcdsaSha1));
        HostileKey key = c.PoolKey(kind);
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfo);
        return c.PostSigned($"{kind} request signed with {scheme}", CsrKit.Sign(info, key, scheme, c.Crypto), CaseExpectation.Exactly(400));
    }

    /// <summary>A signature labelled with an algorithm that does not fit it or its key: proof of possession fails, 400.</summary>
    private static HostileCase SignatureAlgorithm(CaseContext c)
    {
        int kind = c.Random.Next(14);
        (KeyKind keyKind, SignatureScheme made) = kind switch
        {
            8 or 9 => (KeyKind.Rsa2048, SignatureScheme.RsaSha256),
            12 or 13 => (KeyKind.Rsa2048, SignatureScheme.RsaPssSha256),
            10 or 11 => (KeyKind.Ed25519, SignatureScheme.Ed25519),
            _ => (KeyKind.EcP256, SignatureScheme.EcdsaSha256),
        };
        HostileKey key = c.PoolKey(keyKind);
        byte[] info = CsrKit.Info(Der.NameWithCn(keyKind == KeyKind.Rsa2048 ? c.Keys.RsaSubject : c.UniqueName), key.SubjectPublicKeyInfo);
        byte[] signature = CsrKit.Signature(info, key, made, c.Crypto);
        byte[] algorithm = kind switch
        {
            0 => Der.AlgorithmIdentifier(Oids.Sha256WithRsa, Der.Null()),
            1 => Der.AlgorithmIdentifier("1.2.3.4.5.6.7.8.9"),
            2 => Der.AlgorithmIdentifier(Oids.Ed25519),
            3 => Der.AlgorithmIdentifier("2.16.840.1.101.3.4.3.2"),
            4 => Der.AlgorithmIdentifier(Oids.RsassaPss, Der.Integer(7)),
            5 => Der.AlgorithmIdentifier(Oids.RsassaPss, Der.Seq(Der.Context(0, true, Der.Null()))),
            6 => Der.Seq(),
            7 => CsrKit.AlgorithmIdentifier(SignatureScheme.RsaPssSha256),
            8 => Der.AlgorithmIdentifier(Oids.Ed25519),
            9 => Der.AlgorithmIdentifier(Oids.EcdsaWithSha256),
            10 => Der.AlgorithmIdentifier(Oids.EcdsaWithSha256),
            11 => CsrKit.AlgorithmIdentifier(SignatureScheme.RsaPssSha256),
            // A real RSASSA-PSS (SHA-256, MGF1-SHA-256) signature whose parameters name a hash nobody knows
            // (12), or another mask generation function than the one used: not MGF1 at all, or MGF1 with
            // SHA-512 (13, RFC 4055 §3.1). Checked as labelled, it does not verify.
            12 => Der.AlgorithmIdentifier(Oids.RsassaPss, Der.Seq(
                Der.Context(0, true, Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.99", Der.Null())),
                Der.Context(1, true, Der.AlgorithmIdentifier(Oids.Mgf1, Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.1", Der.Null()))),
                Der.Context(2, true, Der.Integer(32)))),
            _ => Der.AlgorithmIdentifier(Oids.RsassaPss, Der.Seq(
                Der.Context(0, true, Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.1", Der.Null())),
                c.Chance(0.5)
                    ? Der.Context(1, true, Der.AlgorithmIdentifier("1.2.840.113549.1.1.99", Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.1", Der.Null())))
                    : Der.Context(1, true, Der.AlgorithmIdentifier(Oids.Mgf1, Der.AlgorithmIdentifier("2.16.840.1.101.3.4.2.3", Der.Null()))),
                Der.Context(2, true, Der.Integer(32)))),
        };
        return c.PostSigned($"{keyKind} key, {made} signature, labelled with algorithm kind {kind}", CsrKit.Assemble(info, algorithm, signature), CaseExpectation.Exactly(400));
    }

    private static HostileCase Version(CaseContext c)
    {
        HostileKey key = c.PoolKey(KeyKind.EcP256);
        long version = c.Pick(1L, 2L, 3L, -1L, long.MaxValue, 256L);
        byte[] info = CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfo, version: version);
        return c.PostSigned($"version {version}", CsrKit.Sign(info, key, SignatureScheme.EcdsaSha256, c.Crypto), CaseExpectation.Exactly(400));
    }

    private static HostileCase EmptySubject(CaseContext c)
    {
        HostileKey key = c.FreshKey();
        byte[] subject = c.Pick(Der.Seq(), Der.Seq(Der.SetOf()));
        IEnumerable<byte[]>? extensions = c.Chance(0.5) ? [Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(2, false, "a.devices.example.com"u8)))] : null;
        byte[] csr = CsrKit.Simple(subject, key, c.Crypto, extensions);
        return c.PostSigned($"empty subject {CaseContext.Hex(subject)}{(extensions is null ? "" : " with a subjectAltName")}", csr, CaseExpectation.Exactly(400));
    }

    /// <summary>Attributes other than extensionRequest (challengePassword, unknown ones) are ignored: a documented 2xx.</summary>
    private static HostileCase AttributeIgnored(CaseContext c)
    {
        HostileKey key = c.FreshKey();
        byte[] attribute = c.Pick(
            Der.Seq(Der.Oid(Oids.ChallengePassword), Der.SetOf(Der.Utf8("otp-" + c.UniqueName))),
            Der.Seq(Der.Oid(Oids.ChallengePassword), Der.SetOf(Der.Printable("secret"))),
            Der.Seq(Der.Oid("1.3.6.1.4.1.99999.1"), Der.SetOf(Der.OctetString(c.RandomBytes(16)))));
        byte[] csr = CsrKit.Sign(CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfo, [attribute]), key, SignatureScheme.EcdsaSha256, c.Crypto);
        return c.PostSigned("valid request with an attribute the server ignores", csr, CaseExpectation.Enrolled);
    }

    private static HostileCase AttributeMalformed(CaseContext c)
    {
        HostileKey key = c.PoolKey(KeyKind.EcP256);
        int kind = c.Random.Next(5);
        byte[] attribute = kind switch
        {
            0 => Der.Null(),
            1 => Der.Seq(Der.Oid(Oids.ExtensionRequest)),
            2 => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.Integer(1)),
            3 => Der.Seq(Der.Integer(5), Der.SetOf(Der.Null())),
            _ => Der.Seq(Der.Oid(Oids.ExtensionRequest), Der.SetOf(Der.Integer(42))),
        };
        byte[] csr = CsrKit.Sign(CsrKit.Info(Der.NameWithCn(c.UniqueName), key.SubjectPublicKeyInfo, [attribute]), key, SignatureScheme.EcdsaSha256, c.Crypto);
        return c.PostSigned($"malformed attribute kind {kind}", csr, CaseExpectation.Exactly(400));
    }

    /// <summary>The control group: plain valid requests, which must be issued (200, or 202 when the signer is slow).</summary>
    private static HostileCase ValidControl(CaseContext c) =>
        c.PostSigned("valid P-256 request, fresh key", c.ValidCsr(), CaseExpectation.Enrolled);

    private static HostileCase ValidKeyTypes(CaseContext c)
    {
        int kind = c.Random.Next(4);
        byte[] csr = kind switch
        {
            0 => c.ValidCsr(KeyKind.EcP384),
            1 => c.ValidCsr(KeyKind.Ed25519),
            // The pooled RSA key only ever asks for one name, so the duplicate-key registry never sees it under two.
            2 => CsrKit.Simple(Der.NameWithCn(c.Keys.RsaSubject), c.PoolKey(KeyKind.Rsa2048), c.Crypto),
            _ => CsrKit.Sign(CsrKit.Info(Der.NameWithCn(c.Keys.RsaSubject), c.PoolKey(KeyKind.Rsa2048).SubjectPublicKeyInfo), c.PoolKey(KeyKind.Rsa2048), SignatureScheme.RsaPssSha256, c.Crypto),
        };
        return c.PostSigned($"valid request, key/signature kind {kind} (P-384, Ed25519, RSA-2048, RSA-PSS)", csr, CaseExpectation.Enrolled);
    }
}
