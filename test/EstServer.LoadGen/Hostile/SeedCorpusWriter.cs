using System.Text;
using EstServer.TestSupport;
using Org.BouncyCastle.Security;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Writes the seed corpus (estserver-loadtest --write-corpus test/corpus/hostile). Run once; the files
/// are checked in. Deterministic for its seed. Only CSRs and text: nothing in it can expire.
/// valid-* requests are accepted by the shipped default profile (field-device) from any device
/// identity that carries a serialNumber; each has its own key and its own CN. bad-* ones each break one
/// rule (400); forbidden-* ones ask for something this client may not have (403).
/// </summary>
public static class SeedCorpusWriter
{
    public const long CorpusSeed = 7030;

    public static IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        SecureRandom random = HostileKey.SeededRandom(CorpusSeed, 0);
        HostileKey Key(KeyKind kind) => HostileKey.Generate(kind, random);
        byte[] Cn(string name) => Der.NameWithCn(name);
        byte[] Simple(string cn, KeyKind kind, params byte[][] extensions) => CsrKit.Simple(Cn(cn), Key(kind), random, extensions.Length == 0 ? null : extensions);
        byte[] WithInfo(HostileKey key, byte[] info, SignatureScheme? scheme = null) => CsrKit.Sign(info, key, scheme ?? key.DefaultScheme, random);
        byte[] San(params string[] names) => Der.Extension(Oids.SubjectAltName, Der.Seq(names.Select(n => Der.Context(2, false, Encoding.ASCII.GetBytes(n)))));

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        void Der64(string name, byte[] der) => files[name] = CaseContext.Base64(der);

        // Valid: what the default route must issue.
        Der64("valid-p256", Simple("seed-p256", KeyKind.EcP256));
        files["valid-p256-crlf76"] = CaseContext.Base64(Simple("seed-p256-crlf76", KeyKind.EcP256), 76, "\r\n");
        files["valid-p256-one-line"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(Simple("seed-p256-one-line", KeyKind.EcP256)));
        Der64("valid-p384", Simple("seed-p384", KeyKind.EcP384));
        Der64("valid-ed25519", Simple("seed-ed25519", KeyKind.Ed25519));
        Der64("valid-rsa2048", Simple("seed-rsa2048", KeyKind.Rsa2048));
        HostileKey pss = Key(KeyKind.Rsa2048);
        Der64("valid-rsa2048-pss", WithInfo(pss, CsrKit.Info(Cn("seed-rsa2048-pss"), pss.SubjectPublicKeyInfo), SignatureScheme.RsaPssSha256));
        Der64("valid-p256-two-dns-names", Simple("seed-p256-san", KeyKind.EcP256, San("seed-a.devices.example.com", "seed-b.devices.example.com")));
        HostileKey org = Key(KeyKind.EcP256);
        Der64("valid-p256-fixed-o-repeated", WithInfo(org, CsrKit.Info(Der.Seq(Der.Rdn(Oids.Organization, Der.Utf8("Example Devices")), Der.Rdn(Oids.CommonName, Der.Utf8("seed-p256-org"))), org.SubjectPublicKeyInfo)));
        Der64("valid-p256-ignored-extensions", Simple("seed-p256-ignored", KeyKind.EcP256,
            Der.Extension(Oids.KeyUsage, Der.BitString([0x80]), critical: true),
            Der.Extension(Oids.ExtendedKeyUsage, Der.Seq(Der.Oid("1.3.6.1.5.5.7.3.2"))),
            Der.Extension(Oids.BasicConstraints, Der.Seq())));
        HostileKey challenge = Key(KeyKind.EcP256);
        Der64("valid-p256-challenge-password", WithInfo(challenge, CsrKit.Info(Cn("seed-p256-challenge"), challenge.SubjectPublicKeyInfo,
            [Der.Seq(Der.Oid(Oids.ChallengePassword), Der.SetOf(Der.Utf8("one-time-secret")))])));
        HostileKey printable = Key(KeyKind.EcP256);
        Der64("valid-p256-printable-cn", WithInfo(printable, CsrKit.Info(Der.Seq(Der.Rdn(Oids.CommonName, Der.Printable("seed-p256-printable"))), printable.SubjectPublicKeyInfo)));

        // Bad keys and signatures.
        Der64("bad-rsa1024", Simple("seed-bad-rsa1024", KeyKind.Rsa1024));
        Der64("bad-p521", Simple("seed-bad-p521", KeyKind.EcP521));
        Der64("bad-secp256k1", Simple("seed-bad-secp256k1", KeyKind.EcSecp256k1));
        Der64("bad-brainpoolp256r1", Simple("seed-bad-brainpool", KeyKind.EcBrainpoolP256));
        Der64("bad-ed448", Simple("seed-bad-ed448", KeyKind.Ed448));
        HostileKey explicitKey = Key(KeyKind.EcP256);
        Der64("bad-explicit-ec-parameters", WithInfo(explicitKey, CsrKit.Info(Cn("seed-bad-explicit"), explicitKey.SubjectPublicKeyInfoWithExplicitParameters()), SignatureScheme.EcdsaSha256));
        HostileKey rsa = Key(KeyKind.Rsa2048);
        Der64("bad-sha1-rsa", WithInfo(rsa, CsrKit.Info(Cn("seed-bad-sha1"), rsa.SubjectPublicKeyInfo), SignatureScheme.RsaSha1));
        Der64("bad-md5-rsa", WithInfo(rsa, CsrKit.Info(Cn("seed-bad-md5"), rsa.SubjectPublicKeyInfo), SignatureScheme.RsaMd5));
        Der64("bad-pss-default-sha1", WithInfo(rsa, CsrKit.Info(Cn("seed-bad-pss-sha1"), rsa.SubjectPublicKeyInfo), SignatureScheme.RsaPssSha1Default));
        HostileKey ec = Key(KeyKind.EcP256);
        Der64("bad-sha1-ecdsa", WithInfo(ec, CsrKit.Info(Cn("seed-bad-ecdsa-sha1"), ec.SubjectPublicKeyInfo), SignatureScheme.EcdsaSha1));
        // Properly signed, but its CN breaks the default profile's pattern: the bad-* seeds built on it stay
        // refused even when a mutation happens to undo their one defect.
        byte[] good = WithInfo(ec, CsrKit.Info(Cn("seed bad tampered"), ec.SubjectPublicKeyInfo));
        byte[] tampered = (byte[])good.Clone();
        tampered[^3] ^= 0x01;
        Der64("bad-tampered-signature", tampered);
        byte[] edited = (byte[])good.Clone();
        edited[edited.AsSpan().IndexOf("tampered"u8)] = (byte)'T';
        Der64("bad-tampered-subject", edited);
        HostileKey other = Key(KeyKind.EcP256);
        Der64("bad-key-mismatch", WithInfo(other, CsrKit.Info(Cn("seed-bad-mismatch"), ec.SubjectPublicKeyInfo)));
        Der64("bad-version-1", WithInfo(ec, CsrKit.Info(Cn("seed-bad-version"), ec.SubjectPublicKeyInfo, version: 1)));

        // Bad structure.
        Der64("bad-trailing-data", [.. good, 0x00, 0x00]);
        Der64("bad-nested-40-in-subject", WithInfo(ec, CsrKit.Info(Der.Seq(Der.SetOf(Der.Seq(Der.Oid(Oids.CommonName), Der.Nested(40, innermost: Der.Null())))), ec.SubjectPublicKeyInfo)));
        Der64("bad-indefinite-length", [0x30, 0x80, .. good[DerCases.Header(good).HeaderLength..], 0x00, 0x00]);
        Der64("bad-non-minimal-length", [0x30, 0x84, 0x00, 0x00, (byte)(good.Length - DerCases.Header(good).HeaderLength >> 8), (byte)(good.Length - DerCases.Header(good).HeaderLength), .. good[DerCases.Header(good).HeaderLength..]]);
        Der64("bad-deep-nesting-5000", Der.Nested(5000, innermost: Der.Null()));

        // Bad names and extensions.
        Der64("bad-empty-subject", WithInfo(ec, CsrKit.Info(Der.Seq(), ec.SubjectPublicKeyInfo)));
        Der64("bad-subject-ou", WithInfo(ec, CsrKit.Info(Der.Seq(Der.Rdn(Oids.CommonName, Der.Utf8("seed-bad-ou")), Der.Rdn(Oids.OrganizationalUnit, Der.Utf8("Ops"))), ec.SubjectPublicKeyInfo)));
        Der64("bad-cn-pattern", Simple("seed bad cn with spaces", KeyKind.EcP256));
        Der64("forbidden-serial-number-mismatch", WithInfo(ec, CsrKit.Info(Der.Seq(Der.Rdn(Oids.CommonName, Der.Utf8("seed-bad-serial")), Der.Rdn(Oids.SerialNumber, Der.Printable("NOT-THE-CLIENTS"))), ec.SubjectPublicKeyInfo)));
        Der64("bad-duplicate-extension", Simple("seed-bad-dup-ext", KeyKind.EcP256, San("a.devices.example.com"), San("b.devices.example.com")));
        HostileKey twice = Key(KeyKind.EcP256);
        Der64("bad-two-extension-requests", WithInfo(twice, CsrKit.Info(Cn("seed-bad-two-requests"), twice.SubjectPublicKeyInfo,
            [Der.ExtensionRequest([San("a.devices.example.com")]), Der.ExtensionRequest([San("b.devices.example.com")])])));
        Der64("bad-unknown-critical-extension", Simple("seed-bad-critical", KeyKind.EcP256, Der.Extension("1.3.6.1.4.1.99999.3", Der.Null(), critical: true)));
        Der64("bad-200-extensions", Simple("seed-bad-many-ext", KeyKind.EcP256, Enumerable.Range(0, 200).Select(i => Der.Extension("1.3.6.1.4.1.99999.1." + CaseContext.Count(i), Der.Null())).ToArray()));
        Der64("bad-san-three-names", Simple("seed-bad-san-three", KeyKind.EcP256, San("a.devices.example.com", "b.devices.example.com", "c.devices.example.com")));
        Der64("bad-san-ip-address", Simple("seed-bad-san-ip", KeyKind.EcP256, Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(7, false, [192, 0, 2, 1])))));
        Der64("bad-san-other-name-nested", Simple("seed-bad-san-other", KeyKind.EcP256,
            Der.Extension(Oids.SubjectAltName, Der.Seq(Der.Context(0, true, Der.Concat(Der.Oid("1.3.6.1.4.1.311.20.2.3"), Der.Context(0, true, Der.Nested(10, innermost: Der.Null()))))))));
        Der64("bad-san-empty", Simple("seed-bad-san-empty", KeyKind.EcP256, Der.Extension(Oids.SubjectAltName, Der.Seq())));

        // Bad text.
        files["bad-pem-armoured"] = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE REQUEST-----\n" + Encoding.ASCII.GetString(CaseContext.Base64(good)) + "-----END CERTIFICATE REQUEST-----\n");
        files["bad-not-base64"] = Encoding.ASCII.GetBytes("this is not base64 at all!\n");
        files["bad-base64url-alphabet"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(good).Replace('+', '-').Replace('/', '_').TrimEnd('=') + "-_\n");
        files["bad-whitespace-only"] = Encoding.ASCII.GetBytes(" \r\n\t\n");

        foreach ((string name, byte[] content) in files)
        {
            File.WriteAllBytes(Path.Combine(directory, name + ".b64"), content);
        }

        return files.Keys.Order(StringComparer.Ordinal).ToArray();
    }
}
