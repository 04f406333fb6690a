using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.TestSupport;

/// <summary>
/// Certificates made by the tests themselves, at the moment they run: nothing checked in, nothing that
/// expires. CAs (root or intermediate, EC or RSA, with or without a subject key identifier), device
/// (client) and server certificates, and their PEM files. Every certificate carries its private key.
/// </summary>
public static class TestCertificates
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string SubjectKeyIdentifierOid = "2.5.29.14";
    private const string CertificatePoliciesOid = "2.5.29.32";

    /// <summary>A new platform key of <paramref name="keyType"/> (Ed25519 has none: see <see cref="TestCsr"/>).</summary>
    public static AsymmetricAlgorithm NewKey(TestKeyType keyType) => keyType switch
    {
        TestKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        TestKeyType.EcP521 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        TestKeyType.Rsa1024 => RSA.Create(1024),
        TestKeyType.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "the platform makes no such key"),
    };

    /// <summary>A self-signed root CA with a new key; valid from a day ago for five years unless told otherwise.</summary>
    public static X509Certificate2 CreateRootCa(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, TestKeyType keyType = TestKeyType.EcP256)
    {
        using AsymmetricAlgorithm key = NewKey(keyType);
        return CreateCa(subject, key, notBefore: notBefore, notAfter: notAfter ?? DateTimeOffset.UtcNow.AddYears(5));
    }

    /// <summary>
    /// An intermediate CA (pathLenConstraint 0, e.g. a manufacturer's production-line CA or an issuing CA)
    /// with a new key, under <paramref name="issuer"/>, which must hold its private key; valid exactly as
    /// long as the issuer unless told otherwise.
    /// </summary>
    public static X509Certificate2 CreateIntermediateCa(
        X509Certificate2 issuer,
        string subject,
        TestKeyType keyType = TestKeyType.EcP256,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        using AsymmetricAlgorithm key = NewKey(keyType);
        return CreateCa(subject, key, issuer, notBefore ?? ValidFrom(issuer), notAfter ?? new DateTimeOffset(issuer.NotAfter.ToUniversalTime()), pathLength: 0);
    }

    /// <summary>
    /// A CA certificate (or, with <paramref name="isCa"/> false, a certificate that is not one) for an
    /// existing <paramref name="key"/>, self-signed when <paramref name="issuer"/> is null; valid from a day
    /// ago for three years unless told otherwise. The shapes the core must cope with: RSA or EC, root or
    /// intermediate, with or without a subject key identifier.
    /// </summary>
    public static X509Certificate2 CreateCa(
        string subject,
        AsymmetricAlgorithm key,
        X509Certificate2? issuer = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool isCa = true,
        bool subjectKeyIdentifier = true,
        int? pathLength = null)
    {
        CertificateRequest request = Request(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            isCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, true));
        if (subjectKeyIdentifier)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        }

        DateTimeOffset start = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset end = notAfter ?? DateTimeOffset.UtcNow.AddYears(3);
        return issuer is null ? request.CreateSelfSigned(start, end) : Issue(request, key, issuer, start, end);
    }

    /// <summary>
    /// A client (device) certificate with a new P-256 key, issued by <paramref name="issuer"/>, which must
    /// hold its private key. Its validity is taken as given, even outside the issuer's (no nesting check);
    /// by default it starts a day ago, but no earlier than the issuer, and lasts a year.
    /// </summary>
    public static X509Certificate2 CreateClient(
        X509Certificate2 issuer,
        string subject,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        IEnumerable<string>? dnsNames = null,
        IEnumerable<string>? policyOids = null,
        IEnumerable<string>? emailAddresses = null) =>
        CreateLeaf(issuer, subject, ClientAuthOid, notBefore, notAfter, names =>
        {
            foreach (string name in dnsNames ?? [])
            {
                names.AddDnsName(name);
            }

            foreach (string address in emailAddresses ?? [])
            {
                names.AddEmailAddress(address);
            }
        }, policyOids);

    /// <summary>A TLS server certificate (serverAuth) with a new P-256 key for the given names, issued by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateServer(
        X509Certificate2 issuer,
        string subject,
        IEnumerable<string> dnsNames,
        IEnumerable<IPAddress>? ipAddresses = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null) =>
        CreateLeaf(issuer, subject, ServerAuthOid, notBefore, notAfter, names =>
        {
            foreach (string name in dnsNames)
            {
                names.AddDnsName(name);
            }

            foreach (IPAddress address in ipAddresses ?? [])
            {
                names.AddIpAddress(address);
            }
        }, policyOids: null);

    /// <summary>When <paramref name="issuer"/> became valid: certificates under it cannot start earlier.</summary>
    public static DateTimeOffset ValidFrom(X509Certificate2 issuer) => new(issuer.NotBefore.ToUniversalTime());

    /// <summary>Loads a certificate and key written as PEM (e.g. the dev PKI's device identity).</summary>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath) =>
        X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

    /// <summary>A certificate with its private key, as a PEM pair for command-line tools.</summary>
    public static (string Certificate, string Key) ToPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = PrivateKey(certificate);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate as PEM, ending in a newline so several can be concatenated into a bundle.</summary>
    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>A DER certificate as PEM, ending in a newline.</summary>
    public static string Pem(byte[] certificateDer) => PemEncoding.WriteString("CERTIFICATE", certificateDer) + "\n";

    /// <summary>Writes the certificates, in order, into one PEM file (a chain or a bundle of anchors).</summary>
    public static void WritePem(string path, params X509Certificate2[] certificates) =>
        File.WriteAllText(path, string.Concat(certificates.Select(Pem)));

    /// <summary>
    /// Writes the certificate's private key as PKCS#8 PEM, or with <paramref name="traditional"/> in the
    /// older form: SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY".
    /// </summary>
    public static void WriteKeyPem(string path, X509Certificate2 certificate, bool traditional = false)
    {
        using AsymmetricAlgorithm key = PrivateKey(certificate);
        File.WriteAllText(path, !traditional ? key.ExportPkcs8PrivateKeyPem() : key switch
        {
            ECDsa ec => ec.ExportECPrivateKeyPem(),
            RSA rsa => rsa.ExportRSAPrivateKeyPem(),
            _ => throw new InvalidOperationException("unsupported key"),
        });
    }

    private static X509Certificate2 CreateLeaf(
        X509Certificate2 issuer,
        string subject,
        string extendedKeyUsage,
        DateTimeOffset? notBefore,
        DateTimeOffset? notAfter,
        Action<SubjectAlternativeNameBuilder> subjectAltNames,
        IEnumerable<string>? policyOids)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        var names = new SubjectAlternativeNameBuilder();
        subjectAltNames(names);
        X509Extension san = names.Build();
        // An empty builder still encodes a SEQUENCE: only a name that was added makes an extension.
        if (san.RawData.Length > 2)
        {
            request.CertificateExtensions.Add(san);
        }

        if (policyOids is not null)
        {
            // certificatePolicies (RFC 5280 §4.2.1.4): SEQUENCE OF PolicyInformation { policyIdentifier }.
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                foreach (string oid in policyOids)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(oid);
                    }
                }
            }

            request.CertificateExtensions.Add(new X509Extension(CertificatePoliciesOid, writer.Encode(), false));
        }

        // .NET refuses a certificate that starts before its issuer: default to no earlier than the issuer.
        DateTimeOffset yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset start = notBefore ?? (yesterday > ValidFrom(issuer) ? yesterday : ValidFrom(issuer));
        return Issue(request, key, issuer, start, notAfter ?? DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>Signs <paramref name="request"/> with the issuer's key and attaches <paramref name="key"/>.</summary>
    private static X509Certificate2 Issue(CertificateRequest request, AsymmetricAlgorithm key, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (issuer.Extensions[SubjectKeyIdentifierOid] is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // A generator, not request.Create(issuer, ...): that overload refuses an RSA CA signing an EC key,
        // and a validity outside the issuer's, which some tests need.
        using X509Certificate2 certificate = request.Create(issuer.SubjectName, SignatureGenerator(issuer), notBefore, notAfter, serial);
        return key switch
        {
            ECDsa ec => certificate.CopyWithPrivateKey(ec),
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
    }

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };

    private static X509SignatureGenerator SignatureGenerator(X509Certificate2 issuer) =>
        issuer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey() ?? throw new ArgumentException("issuer has no private key", nameof(issuer)), RSASignaturePadding.Pkcs1);

    private static AsymmetricAlgorithm PrivateKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
        ?? certificate.GetRSAPrivateKey()
        ?? throw new InvalidOperationException("certificate has no private key");
}
