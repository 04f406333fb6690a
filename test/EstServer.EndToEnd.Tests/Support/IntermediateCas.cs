using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Intermediate CAs (e.g. a manufacturer's production-line CA) made by the tests, with their private keys.</summary>
public static class IntermediateCas
{
    /// <summary>When <paramref name="issuer"/> became valid: certificates under it cannot start earlier.</summary>
    public static DateTimeOffset Start(X509Certificate2 issuer) => new(issuer.NotBefore.ToUniversalTime());

    public static X509Certificate2 Create(X509Certificate2 issuer, string subject)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 certificate = request.Create(issuer, Start(issuer), issuer.NotAfter.ToUniversalTime().AddDays(-1), serial);
        return certificate.CopyWithPrivateKey(key);
    }
}
