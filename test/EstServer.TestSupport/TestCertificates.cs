using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.TestSupport;

/// <summary>Certificates made by the tests themselves, at the moment they run: nothing checked in, nothing that expires.</summary>
public static class TestCertificates
{
    public static X509Certificate2 CreateRootCa(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(5));
    }

    /// <summary>A client (device) certificate issued by <paramref name="issuer"/>, which must hold its private key.</summary>
    public static X509Certificate2 CreateClient(
        X509Certificate2 issuer,
        string subject,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        IEnumerable<string>? dnsNames = null,
        IEnumerable<string>? policyOids = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (dnsNames is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                names.AddDnsName(name);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        if (policyOids is not null)
        {
            // certificatePolicies (RFC 5280 §4.2.1.4): SEQUENCE OF PolicyInformation { policyIdentifier }.
            var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
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

            request.CertificateExtensions.Add(new X509Extension("2.5.29.32", writer.Encode(), false));
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // .NET refuses a certificate that starts before its issuer: default to no earlier than the issuer.
        DateTimeOffset issuerStart = new(issuer.NotBefore.ToUniversalTime());
        DateTimeOffset start = notBefore ?? (DateTimeOffset.UtcNow.AddDays(-1) > issuerStart ? DateTimeOffset.UtcNow.AddDays(-1) : issuerStart);
        DateTimeOffset end = notAfter ?? DateTimeOffset.UtcNow.AddYears(1);
        // A generator, not request.Create(issuer, ...): that overload refuses an RSA CA signing an EC key.
        using X509Certificate2 certificate = request.Create(issuer.SubjectName, SignatureGenerator(issuer), start, end, serial);
        return certificate.CopyWithPrivateKey(key);
    }

    private static X509SignatureGenerator SignatureGenerator(X509Certificate2 issuer) =>
        issuer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey() ?? throw new ArgumentException("issuer has no private key", nameof(issuer)), RSASignaturePadding.Pkcs1);

    /// <summary>Loads a certificate and key written as PEM (e.g. the dev PKI's device identity).</summary>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath) =>
        X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

    /// <summary>A certificate with its private key, as a PEM pair for command-line tools.</summary>
    public static (string Certificate, string Key) ToPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("certificate has no private key");
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
