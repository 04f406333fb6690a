using System.Security.Cryptography;
using EstServer.Core.Issuance;
using EstServer.Core.Revocation;

namespace EstServer.Host.DevPki;

/// <summary>
/// The development PKI's OCSP responder files: written by a process holding the CA key, read by hosts
/// that do not hold it (Redis mode), so every host can sign OCSP answers without the CA key.
/// </summary>
public static class DevOcspResponder
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(2 * 365);

    private static readonly TimeSpan Renewal = TimeSpan.FromDays(30);

    /// <summary>Writes the responder certificate and key when missing or within 30 days of expiry; says whether it did.</summary>
    public static bool EnsureCreated(DevPkiLayout dev, IssuingCa ca, ICertificateSigner caSigner, TimeProvider time)
    {
        if (File.Exists(dev.OcspResponderCertificate) && File.Exists(dev.OcspResponderKey)
            && new Org.BouncyCastle.X509.X509Certificate(PemCertificate(dev.OcspResponderCertificate)).NotAfter - time.GetUtcNow().UtcDateTime > Renewal)
        {
            return false;
        }

        // The key file first: a start cut short here leaves no certificate, so the next start makes both again.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.Delete(dev.OcspResponderKey);
        PemFiles.WritePrivateKey(dev.OcspResponderKey, key);
        File.Delete(dev.OcspResponderCertificate);
        using OcspSigningIdentity identity = OcspSigningIdentity.Issue(new CertificateIssuer(ca, caSigner), time, Validity, key);
        File.WriteAllText(dev.OcspResponderCertificate, PemEncoding.WriteString("CERTIFICATE", identity.CertificateDer) + "\n");
        return true;
    }

    /// <summary>The DER of the first certificate in a PEM file.</summary>
    public static byte[] PemCertificate(string path)
    {
        string pem = File.ReadAllText(path);
        PemFields fields = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }
}
