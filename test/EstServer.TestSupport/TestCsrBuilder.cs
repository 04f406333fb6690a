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
using X509Extension = System.Security.Cryptography.X509Certificates.X509Extension;

namespace EstServer.TestSupport;

/// <summary>
/// One PKCS#10 request, described step by step (<see cref="TestCsr.For(string)"/>) and signed by
/// <see cref="Build"/>: by the platform (.NET CertificateRequest) where it can, by BouncyCastle for what
/// .NET does not make (Ed25519 keys, signature algorithms such as SHA1withRSA, attribute sets given as
/// they are). Defaults: a new EC P-256 key, SHA-256, no extensions.
/// </summary>
public sealed class TestCsrBuilder
{
    private readonly object _subject;
    private readonly List<X509Extension> _extensions = [];
    private readonly SubjectAlternativeNameBuilder _names = new();
    private TestKeyType _keyType = TestKeyType.EcP256;
    private AsymmetricAlgorithm? _key;
    private HashAlgorithmName _hash = HashAlgorithmName.SHA256;
    private bool _pss;
    private bool _hasNames;
    private string? _signatureAlgorithm;
    private Asn1Set? _attributes;

    /// <param name="subject">A string (parsed by the engine that signs), an X500DistinguishedName or a BouncyCastle X509Name, both kept as encoded.</param>
    internal TestCsrBuilder(object subject) => _subject = subject;

    /// <summary>A new key of this type.</summary>
    public TestCsrBuilder Key(TestKeyType keyType)
    {
        _keyType = keyType;
        _key = null;
        return this;
    }

    /// <summary>An existing platform key (the caller keeps and disposes it), e.g. to re-enroll without rekeying.</summary>
    public TestCsrBuilder Key(AsymmetricAlgorithm key, TestKeyType keyType)
    {
        _key = key;
        _keyType = keyType;
        return this;
    }

    public TestCsrBuilder Hash(HashAlgorithmName hash)
    {
        _hash = hash;
        return this;
    }

    /// <summary>RSASSA-PSS (RFC 4055) instead of PKCS#1 v1.5, for an RSA key.</summary>
    public TestCsrBuilder RsaPss()
    {
        _pss = true;
        return this;
    }

    /// <summary>Signed by BouncyCastle with this algorithm name (e.g. "SHA1withECDSA", "MD5withRSA"), which .NET may no longer produce.</summary>
    public TestCsrBuilder SignatureAlgorithm(string bouncyCastleName)
    {
        _signatureAlgorithm = bouncyCastleName;
        return this;
    }

    /// <summary>DNS names for the subjectAltName (one extension with everything added here and by <see cref="SubjectAltNames"/>).</summary>
    public TestCsrBuilder DnsNames(IEnumerable<string>? names)
    {
        foreach (string name in names ?? [])
        {
            _names.AddDnsName(name);
            _hasNames = true;
        }

        return this;
    }

    /// <summary>Any subjectAltName forms (IP addresses, URIs, UPNs, e-mail addresses).</summary>
    public TestCsrBuilder SubjectAltNames(Action<SubjectAlternativeNameBuilder> names)
    {
        names(_names);
        _hasNames = true;
        return this;
    }

    /// <summary>An extension exactly as given (e.g. a subjectAltName with a hand-made value, basicConstraints, a private OID).</summary>
    public TestCsrBuilder Extension(X509Extension extension)
    {
        _extensions.Add(extension);
        return this;
    }

    /// <summary>An extension with exactly this (DER) value.</summary>
    public TestCsrBuilder Extension(string oid, byte[] value, bool critical = false) => Extension(new X509Extension(oid, value, critical));

    /// <summary>Extensions built with BouncyCastle, in their order.</summary>
    public TestCsrBuilder Extensions(X509Extensions? extensions)
    {
        foreach (DerObjectIdentifier oid in extensions?.ExtensionOids ?? [])
        {
            Org.BouncyCastle.Asn1.X509.X509Extension extension = extensions!.GetExtension(oid);
            _extensions.Add(new X509Extension(oid.Id, extension.Value.GetOctets(), extension.IsCritical));
        }

        return this;
    }

    /// <summary>The request's attributes exactly as given (e.g. two extensionRequest attributes), instead of one built from the extensions; signed by BouncyCastle.</summary>
    public TestCsrBuilder Attributes(Asn1Set attributes)
    {
        _attributes = attributes;
        return this;
    }

    public TestCsr Build()
    {
        if (_hasNames)
        {
            _extensions.Add(_names.Build());
            _hasNames = false;
        }

        bool bouncyCastle = _keyType == TestKeyType.Ed25519 || _signatureAlgorithm is not null || _attributes is not null;
        return bouncyCastle ? BuildWithBouncyCastle() : BuildWithPlatform();
    }

    private TestCsr BuildWithPlatform()
    {
        AsymmetricAlgorithm key = _key ?? TestCertificates.NewKey(_keyType);
        X500DistinguishedName subject = _subject switch
        {
            string text => new X500DistinguishedName(text),
            X509Name name => new X500DistinguishedName(name.GetDerEncoded()),
            _ => (X500DistinguishedName)_subject,
        };
        CertificateRequest request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, _hash),
            RSA rsa => new CertificateRequest(subject, rsa, _hash, _pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key"),
        };
        foreach (X509Extension extension in _extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        return new TestCsr(request.CreateSigningRequest(), key, _keyType);
    }

    private TestCsr BuildWithBouncyCastle()
    {
        if (_key is not null)
        {
            throw new NotSupportedException("a BouncyCastle-signed request makes its own key");
        }

        (AsymmetricCipherKeyPair pair, AsymmetricAlgorithm? platformKey) = NewKeyPair(_keyType);
        X509Name subject = _subject switch
        {
            // BouncyCastle keeps the order written; .NET's parser reverses it.
            string text => new X509Name(text.Replace(", ", ",", StringComparison.Ordinal)),
            X500DistinguishedName name => X509Name.GetInstance(Asn1Object.FromByteArray(name.RawData)),
            _ => (X509Name)_subject,
        };
        Asn1Set? attributes = _attributes;
        if (_extensions.Count > 0)
        {
            if (attributes is not null)
            {
                throw new InvalidOperationException("give either the attributes or the extensions, not both");
            }

            var generator = new X509ExtensionsGenerator();
            foreach (X509Extension extension in _extensions)
            {
                generator.AddExtension(new DerObjectIdentifier(extension.Oid!.Value), extension.Critical, extension.RawData);
            }

            attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(generator.Generate())));
        }

        string algorithm = _signatureAlgorithm ?? pair.Public switch
        {
            Ed25519PublicKeyParameters => "Ed25519",
            RsaKeyParameters => _pss ? $"{_hash.Name}withRSAandMGF1" : $"{_hash.Name}withRSA",
            _ => $"{_hash.Name}withECDSA",
        };
        var request = new Pkcs10CertificationRequest(new Asn1SignatureFactory(algorithm, pair.Private), subject, pair.Public, attributes);
        return new TestCsr(request.GetEncoded(), platformKey, _keyType);
    }

    /// <summary>A BouncyCastle key pair; RSA keys come from the platform (much faster), which also keeps them.</summary>
    private static (AsymmetricCipherKeyPair Pair, AsymmetricAlgorithm? PlatformKey) NewKeyPair(TestKeyType keyType)
    {
        switch (keyType)
        {
            case TestKeyType.Ed25519:
                var ed = new Ed25519KeyPairGenerator();
                ed.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
                return (ed.GenerateKeyPair(), null);
            case TestKeyType.Rsa1024 or TestKeyType.Rsa2048:
                var rsa = (RSA)TestCertificates.NewKey(keyType);
                return (DotNetUtilities.GetRsaKeyPair(rsa), rsa);
            default:
                DerObjectIdentifier curve = keyType switch
                {
                    TestKeyType.EcP384 => Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP384r1,
                    TestKeyType.EcP521 => Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP521r1,
                    _ => Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1,
                };
                var ec = new ECKeyPairGenerator();
                ec.Init(new ECKeyGenerationParameters(curve, new SecureRandom()));
                return (ec.GenerateKeyPair(), null);
        }
    }
}
