using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.DevPki;

/// <summary>Makes the development PKI's certificates with the platform's certificate builder.</summary>
public static class DevCertificateFactory
{
    public static X509Certificate2 CreateRoot(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        // pathLen 0: the issuing CA signs end-entity certificates only.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return Sign(request, issuer, key, notBefore, notAfter);
    }

    public static X509Certificate2 CreateServer(X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=EstServer development", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return Sign(request, issuer, key, notBefore, notAfter);
    }

    /// <summary>A device identity in the style of an IEEE 802.1AR IDevID: the serial number in the subject.</summary>
    public static X509Certificate2 CreateDevice(X509Certificate2 issuer, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("Demo Manufacturer");
        // X.520 serialNumber (2.5.4.5) is a PrintableString, which has no '_'.
        subject.Add("2.5.4.5", name.ToUpperInvariant().Replace('_', '-'), System.Formats.Asn1.UniversalTagNumber.PrintableString);
        subject.AddCommonName(name);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Sign(request, issuer, key, notBefore, notAfter);
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using (key)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            byte[] serial = new byte[16];
            RandomNumberGenerator.Fill(serial);
            serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
            if (notAfter > issuer.NotAfter)
            {
                notAfter = issuer.NotAfter;
            }

            using X509Certificate2 certificate = request.Create(issuer, notBefore, notAfter, serial);
            return certificate.CopyWithPrivateKey(key);
        }
    }
}
