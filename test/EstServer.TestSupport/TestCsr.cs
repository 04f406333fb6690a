using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace EstServer.TestSupport;

/// <summary>PKCS#10 requests made with real keys, plus ways to break them.</summary>
public sealed class TestCsr
{
    private TestCsr(byte[] der, AsymmetricAlgorithm? key, TestKeyType keyType)
    {
        Der = der;
        Key = key;
        KeyType = keyType;
    }

    public byte[] Der { get; }

    /// <summary>The private key (null for Ed25519, which the platform does not support).</summary>
    public AsymmetricAlgorithm? Key { get; }

    public TestKeyType KeyType { get; }

    public string Base64 => Convert.ToBase64String(Der);

    public static TestCsr Create(string subject, TestKeyType keyType = TestKeyType.EcP256, IEnumerable<string>? dnsNames = null, HashAlgorithmName? hash = null)
    {
        if (keyType == TestKeyType.Ed25519)
        {
            return CreateEd25519(subject, dnsNames);
        }

        AsymmetricAlgorithm key = keyType switch
        {
            TestKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            TestKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            TestKeyType.EcP521 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
            TestKeyType.Rsa1024 => RSA.Create(1024),
            _ => RSA.Create(2048),
        };
        return Create(subject, key, keyType, dnsNames, hash);
    }

    /// <summary>A request for an existing key, e.g. to re-enroll without rekeying.</summary>
    public static TestCsr Create(string subject, AsymmetricAlgorithm key, TestKeyType keyType, IEnumerable<string>? dnsNames = null, HashAlgorithmName? hash = null)
    {
        HashAlgorithmName digest = hash ?? HashAlgorithmName.SHA256;
        CertificateRequest request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, digest),
            RSA rsa => new CertificateRequest(subject, rsa, digest, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        if (dnsNames is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                names.AddDnsName(name);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        return new TestCsr(request.CreateSigningRequest(), key, keyType);
    }

    /// <summary>A request whose signature was made over a different subject: valid DER, failed proof of possession.</summary>
    public TestCsr WithTamperedSubject(string otherSubject)
    {
        TestCsr other = Key is null ? throw new InvalidOperationException("needs a platform key") : Create(otherSubject, Key, KeyType);
        (ReadOnlyMemory<byte> _, ReadOnlyMemory<byte> algorithm, ReadOnlyMemory<byte> signature) = Split(Der);
        (ReadOnlyMemory<byte> otherInfo, _, _) = Split(other.Der);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(otherInfo.Span);
            writer.WriteEncodedValue(algorithm.Span);
            writer.WriteEncodedValue(signature.Span);
        }

        return new TestCsr(writer.Encode(), Key, KeyType);
    }

    /// <summary>The key as PKCS#8 PEM, for handing to openssl or curl.</summary>
    public string KeyPem() => Key?.ExportPkcs8PrivateKeyPem() ?? throw new InvalidOperationException("no platform key");

    private static (ReadOnlyMemory<byte> Info, ReadOnlyMemory<byte> Algorithm, ReadOnlyMemory<byte> Signature) Split(byte[] der)
    {
        AsnReader request = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        return (request.ReadEncodedValue(), request.ReadEncodedValue(), request.ReadEncodedValue());
    }

    private static TestCsr CreateEd25519(string subject, IEnumerable<string>? dnsNames)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        Asn1Set? attributes = null;
        if (dnsNames is not null)
        {
            var names = new GeneralNames(dnsNames.Select(name => new GeneralName(GeneralName.DnsName, name)).ToArray());
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, names);
            attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate())));
        }

        var request = new Pkcs10CertificationRequest(
            new Asn1SignatureFactory("Ed25519", pair.Private),
            new X509Name(subject.Replace(", ", ",", StringComparison.Ordinal)),
            pair.Public,
            attributes);
        return new TestCsr(request.GetEncoded(), null, TestKeyType.Ed25519);
    }
}
