using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BigInteger = Org.BouncyCastle.Math.BigInteger;
using Tlv = EstServer.TestSupport.Der;

namespace EstServer.TestSupport;

/// <summary>
/// A PKCS#10 request (RFC 2986) made with a real key, the one place tests get CSRs from: the common
/// cases (<see cref="Create(string, TestKeyType, IEnumerable{string}?, HashAlgorithmName?)"/>), anything
/// else step by step (<see cref="For(string)"/>), RSA keys given as numbers, ways to break a request, and
/// its fields read back independently of the server's decoder.
/// </summary>
public sealed class TestCsr
{
    internal TestCsr(byte[] der, AsymmetricAlgorithm? key, TestKeyType keyType)
    {
        Der = der;
        Key = key;
        KeyType = keyType;
    }

    public byte[] Der { get; }

    /// <summary>The private key (null where the platform holds none: Ed25519, BouncyCastle EC keys, hand-made RSA numbers).</summary>
    public AsymmetricAlgorithm? Key { get; }

    public TestKeyType KeyType { get; }

    public string Base64 => Convert.ToBase64String(Der);

    /// <summary>The request body as a device sends it: base64 in lines of 76 characters, ending with a newline.</summary>
    public byte[] Body => Encoding.ASCII.GetBytes(Convert.ToBase64String(Der, Base64FormattingOptions.InsertLineBreaks) + "\n");

    /// <summary>The DER SubjectPublicKeyInfo the request asks to have certified.</summary>
    public byte[] SubjectPublicKeyInfo => InfoFields()[2];

    /// <summary>The subject exactly as encoded in the request.</summary>
    public X500DistinguishedName SubjectName => new(InfoFields()[1]);

    /// <summary>A request with a new key of <paramref name="keyType"/>, SHA-256 unless told otherwise, and DNS names if given.</summary>
    public static TestCsr Create(string subject, TestKeyType keyType = TestKeyType.EcP256, IEnumerable<string>? dnsNames = null, HashAlgorithmName? hash = null) =>
        For(subject).Key(keyType).DnsNames(dnsNames).Hash(hash ?? HashAlgorithmName.SHA256).Build();

    /// <summary>A request for an existing key, e.g. to re-enroll without rekeying.</summary>
    public static TestCsr Create(string subject, AsymmetricAlgorithm key, TestKeyType keyType, IEnumerable<string>? dnsNames = null, HashAlgorithmName? hash = null) =>
        For(subject).Key(key, keyType).DnsNames(dnsNames).Hash(hash ?? HashAlgorithmName.SHA256).Build();

    /// <summary>A request for a subject built with BouncyCastle (attributes in the order given), with a new key and optional extensions.</summary>
    public static TestCsr Create(X509Name subject, TestKeyType keyType = TestKeyType.EcP256, X509Extensions? extensions = null) =>
        For(subject).Key(keyType).Extensions(extensions).Build();

    /// <summary>A request described step by step; <paramref name="subject"/> as .NET (or, for BouncyCastle-signed requests, BouncyCastle) parses it.</summary>
    public static TestCsrBuilder For(string subject) => new(subject);

    /// <summary>A request for a subject given as encoded (e.g. laid out from a csrattrs template).</summary>
    public static TestCsrBuilder For(X500DistinguishedName subject) => new(subject);

    /// <summary>A request for a subject built with BouncyCastle, whose attributes stay in the order given.</summary>
    public static TestCsrBuilder For(X509Name subject) => new(subject);

    /// <summary>
    /// A request for an RSA public key given by its numbers, so a test can ask for keys no key generator
    /// makes (exponent 1, a modulus with a small factor, nearly equal primes). The signature is
    /// sha256WithRSAEncryption computed by hand: EMSA-PKCS1-v1_5 (RFC 8017 §9.2) raised to the private exponent.
    /// </summary>
    /// <param name="privateExponent">
    /// d with e·d ≡ 1 mod λ(n), for a valid signature; null signs with the encoded message itself, which
    /// verifies only for e = 1 and is garbage otherwise.
    /// </param>
    public static TestCsr FromRsaNumbers(string subject, BigInteger modulus, BigInteger exponent, BigInteger? privateExponent)
    {
        var publicKey = new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance),
            new RsaPublicKeyStructure(modulus, exponent));
        var info = new CertificationRequestInfo(new X509Name(subject), publicKey, new DerSet());
        byte[] digestInfo = new DigestInfo(
            new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance),
            SHA256.HashData(info.GetDerEncoded())).GetDerEncoded();

        int length = (modulus.BitLength + 7) / 8;
        byte[] encoded = new byte[length];
        encoded[1] = 0x01;
        encoded.AsSpan(2, length - digestInfo.Length - 3).Fill(0xFF);
        digestInfo.CopyTo(encoded, length - digestInfo.Length);
        var message = new BigInteger(1, encoded);
        BigInteger signature = privateExponent is null ? message : message.ModPow(privateExponent, modulus);

        byte[] signatureBytes = new byte[length];
        byte[] raw = signature.ToByteArrayUnsigned();
        raw.CopyTo(signatureBytes, length - raw.Length);
        var request = new CertificationRequest(
            info, new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance), new DerBitString(signatureBytes));
        return new TestCsr(request.GetDerEncoded(), null, TestKeyType.Rsa2048);
    }

    /// <summary>A PKCS#9 extensionRequest attribute holding a subjectAltName with <paramref name="dnsNames"/>, for <see cref="TestCsrBuilder.Attributes"/>.</summary>
    public static AttributePkcs ExtensionRequest(params string[] dnsNames)
    {
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.SubjectAlternativeName, false,
            new GeneralNames(dnsNames.Select(name => new GeneralName(GeneralName.DnsName, name)).ToArray()));
        return new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate()));
    }

    /// <summary>The three parts of a request: CertificationRequestInfo, signatureAlgorithm, signature BIT STRING (each a whole TLV).</summary>
    public static (byte[] Info, byte[] Algorithm, byte[] Signature) Parts(byte[] der)
    {
        IReadOnlyList<byte[]> parts = Tlv.Children(der);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>A request whose signature was made over a different subject: valid DER, failed proof of possession.</summary>
    public TestCsr WithTamperedSubject(string otherSubject)
    {
        TestCsr other = Key is null ? throw new InvalidOperationException("needs a platform key") : Create(otherSubject, Key, KeyType);
        (_, byte[] algorithm, byte[] signature) = Parts(Der);
        return WithParts(Parts(other.Der).Info, algorithm, signature);
    }

    /// <summary>The same request with another version number: the signature no longer matches, the decoder must not care.</summary>
    public TestCsr WithVersion(int version)
    {
        (_, byte[] algorithm, byte[] signature) = Parts(Der);
        return WithParts(Tlv.Seq([Tlv.Integer(version), .. InfoFields().Skip(1)]), algorithm, signature);
    }

    /// <summary>
    /// The request with its subjectPublicKeyInfo and/or signatureAlgorithm replaced by raw DER, for keys
    /// and parameters no library would produce. The signature is left as it was.
    /// </summary>
    public TestCsr WithRawParts(byte[]? publicKeyInfo = null, byte[]? signatureAlgorithm = null)
    {
        (_, byte[] algorithm, byte[] signature) = Parts(Der);
        IReadOnlyList<byte[]> fields = InfoFields();
        byte[] info = Tlv.Seq([fields[0], fields[1], publicKeyInfo ?? fields[2], .. fields.Skip(3)]);
        return WithParts(info, signatureAlgorithm ?? algorithm, signature);
    }

    /// <summary>The key as PKCS#8 PEM, for handing to openssl or curl.</summary>
    public string KeyPem() => Key?.ExportPkcs8PrivateKeyPem() ?? throw new InvalidOperationException("no platform key");

    /// <summary>version, subject, subjectPKInfo, [0] attributes: the CertificationRequestInfo's fields as TLVs.</summary>
    private IReadOnlyList<byte[]> InfoFields() => Tlv.Children(Parts(Der).Info);

    private TestCsr WithParts(byte[] info, byte[] algorithm, byte[] signature) => new(Tlv.Seq(info, algorithm, signature), Key, KeyType);
}
