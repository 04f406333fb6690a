using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Core.Tests.Support;

/// <summary>
/// CA certificates in the shapes the core must cope with (RSA or EC, root or intermediate, with or
/// without a subject key identifier), made with .NET so issuance is checked against a foreign CA.
/// </summary>
internal static class TestCas
{
    public static AsymmetricAlgorithm NewKey(TestCaKey key) => key switch
    {
        TestCaKey.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestCaKey.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => RSA.Create(2048),
    };

    /// <summary>A CA certificate with its private key; self-signed when <paramref name="issuer"/> is null.</summary>
    public static X509Certificate2 Create(
        string subject,
        AsymmetricAlgorithm key,
        X509Certificate2? issuer = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool isCa = true,
        bool subjectKeyIdentifier = true)
    {
        var name = new X500DistinguishedName(subject);
        CertificateRequest request = issuer is null
            ? key switch
            {
                ECDsa ec => new CertificateRequest(name, ec, HashAlgorithmName.SHA256),
                RSA rsa => new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => throw new ArgumentException("unsupported key", nameof(key)),
            }
            : new CertificateRequest(name, new PublicKey(key), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            isCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, true));
        if (subjectKeyIdentifier)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        }

        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        }

        DateTimeOffset start = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset end = notAfter ?? DateTimeOffset.UtcNow.AddYears(3);
        if (issuer is null)
        {
            return request.CreateSelfSigned(start, end);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // The generator overload lets an RSA CA sign an EC certificate and vice versa.
        using X509Certificate2 certificate = request.Create(issuer.SubjectName, SignatureGenerator(issuer), start, end, serial);
        return key switch
        {
            ECDsa ec => certificate.CopyWithPrivateKey(ec),
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
    }

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    private static X509SignatureGenerator SignatureGenerator(X509Certificate2 issuer) =>
        issuer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey() ?? throw new ArgumentException("issuer has no private key", nameof(issuer)), RSASignaturePadding.Pkcs1);

    public static string Pem(byte[] certificateDer) => PemEncoding.WriteString("CERTIFICATE", certificateDer) + "\n";
}
