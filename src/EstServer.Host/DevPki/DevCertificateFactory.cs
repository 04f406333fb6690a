using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Host.DevPki;

/// <summary>
/// Says which certificates the development PKI holds; Core's <see cref="CertificateIssuer"/> mints them,
/// so serials, key identifiers and the notAfter clamp are the ones every issued certificate gets.
/// </summary>
public static class DevCertificateFactory
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const int CaKeyUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign;

    public static X509Certificate2 CreateRoot(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        CreateRoot(new X500DistinguishedName(subject), notBefore, notAfter);

    /// <summary>A self-signed CA with no path length limit.</summary>
    public static X509Certificate2 CreateRoot(X500DistinguishedName subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = NewKey();
        CertificateTemplate template = Template(subject, key, notBefore, notAfter, CaKeyUsage) with { Ca = new CaConstraints(PathLength: null) };
        using var signer = new EcdsaCertificateSigner(key);
        return WithKey(CertificateIssuer.IssueSelfSigned(template, signer), key);
    }

    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = NewKey();
        // pathLen 0: the issuing CA signs end-entity certificates only.
        CertificateTemplate template = Template(new X500DistinguishedName(subject), key, notBefore, notAfter, CaKeyUsage) with { Ca = new CaConstraints(PathLength: 0) };
        return Sign(issuer, template, key);
    }

    public static X509Certificate2 CreateServer(X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = NewKey();
        var names = new GeneralNames(
        [
            new GeneralName(GeneralName.DnsName, "localhost"),
            new GeneralName(GeneralName.IPAddress, new DerOctetString(System.Net.IPAddress.Loopback.GetAddressBytes())),
            new GeneralName(GeneralName.IPAddress, new DerOctetString(System.Net.IPAddress.IPv6Loopback.GetAddressBytes())),
        ]);
        CertificateTemplate template = Template(
            new X500DistinguishedName("CN=localhost, O=EstServer development"), key, notBefore, notAfter, KeyUsage.DigitalSignature, ServerAuth)
            with { SubjectAltNames = names };
        return Sign(issuer, template, key);
    }

    /// <summary>A device identity in the style of an IEEE 802.1AR IDevID: the serial number in the subject.</summary>
    public static X509Certificate2 CreateDevice(X509Certificate2 issuer, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ECDsa key = NewKey();
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("Demo Manufacturer");
        // X.520 serialNumber (2.5.4.5) is a PrintableString, which has no '_'.
        subject.Add("2.5.4.5", name.ToUpperInvariant().Replace('_', '-'), System.Formats.Asn1.UniversalTagNumber.PrintableString);
        subject.AddCommonName(name);
        return Sign(issuer, Template(subject.Build(), key, notBefore, notAfter, KeyUsage.DigitalSignature, ClientAuth), key);
    }

    private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CertificateTemplate Template(
        X500DistinguishedName subject, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter, int keyUsage, params string[] extendedKeyUsages) =>
        new(
            X509Name.GetInstance(Asn1Object.FromByteArray(subject.RawData)),
            SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()),
            SubjectAltNames: null,
            notBefore.UtcDateTime,
            notAfter.UtcDateTime,
            keyUsage,
            extendedKeyUsages);

    private static X509Certificate2 Sign(X509Certificate2 issuer, CertificateTemplate template, ECDsa key)
    {
        using var signer = new EcdsaCertificateSigner(issuer.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"{issuer.Subject} has no EC private key"));
        IssuedCertificate issued = new CertificateIssuer(new IssuingCa([issuer.RawData]), signer).Issue(template);
        return WithKey(issued, key);
    }

    private static X509Certificate2 WithKey(IssuedCertificate issued, ECDsa key)
    {
        using (key)
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(issued.Der);
            return certificate.CopyWithPrivateKey(key);
        }
    }
}
