using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.Tests.Support;

/// <summary>CA, TLS and device-anchor files for a configured (non-development) PKI, made at test time.</summary>
internal static class TestPkiFiles
{
    /// <summary>An intermediate CA (EC P-256 or RSA-2048 key) under an EC <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string subject, bool rsa = false)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA rsaKey
            ? new CertificateRequest(subject, rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using ECDsa issuerKey = issuer.GetECDsaPrivateKey() ?? throw new ArgumentException("the issuer needs its EC private key", nameof(issuer));
        using X509Certificate2 certificate = request.Create(
            issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), issuer.NotBefore, issuer.NotAfter, RandomNumberGenerator.GetBytes(12));
        return key is RSA rsaPrivate ? certificate.CopyWithPrivateKey(rsaPrivate) : certificate.CopyWithPrivateKey((ECDsa)key);
    }

    public static X509Certificate2 CreateRsaRoot(string subject)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public static void WriteCertificates(string path, params X509Certificate2[] certificates) =>
        File.WriteAllText(path, string.Concat(certificates.Select(certificate => certificate.ExportCertificatePem() + "\n")));

    /// <summary>The certificate's private key as PKCS#8 PEM.</summary>
    public static void WriteKey(string path, X509Certificate2 certificate) => File.WriteAllText(path, PrivateKey(certificate).ExportPkcs8PrivateKeyPem());

    /// <summary>The certificate's private key in the traditional form: SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY".</summary>
    public static void WriteTraditionalKey(string path, X509Certificate2 certificate) => File.WriteAllText(path, PrivateKey(certificate) switch
    {
        ECDsa ec => ec.ExportECPrivateKeyPem(),
        RSA rsa => rsa.ExportRSAPrivateKeyPem(),
        _ => throw new InvalidOperationException("unsupported key"),
    });

    private static AsymmetricAlgorithm PrivateKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("no private key");
}
