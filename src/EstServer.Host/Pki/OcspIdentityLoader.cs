using System.Security.Cryptography;
using EstServer.Core.Issuance;
using EstServer.Core.Revocation;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace EstServer.Host.Pki;

/// <summary>
/// Finds the key that signs OCSP answers (RFC 6960 §4.2.2.2 delegated responder), in order: configured
/// files; a fresh in-memory identity when this process holds the CA key; the development PKI's files.
/// Null when there is none: the host then answers /ocsp with 404 and says so at start-up.
/// </summary>
public static class OcspIdentityLoader
{
    /// <summary>An in-memory identity lives as long as the process; a year, bounded by the CA, outlasts any sane uptime.</summary>
    private static readonly TimeSpan InMemoryValidity = TimeSpan.FromDays(365);

    public static OcspSigningIdentity? Load(RevocationOptions options, PkiMaterial pki, TimeProvider time)
    {
        if (options.HasOcspFiles)
        {
            return FromFiles(options.OcspCertificatePath, options.OcspKeyPath, pki.Ca, time, "Est:Revocation:OcspCertificatePath");
        }

        if (pki.Signer is not null)
        {
            return OcspSigningIdentity.Issue(new CertificateIssuer(pki.Ca, pki.Signer), time, InMemoryValidity);
        }

        if (pki.DevPki is { } dev && File.Exists(dev.OcspResponderCertificate) && File.Exists(dev.OcspResponderKey))
        {
            return FromFiles(dev.OcspResponderCertificate, dev.OcspResponderKey, pki.Ca, time, "the development OCSP responder");
        }

        return null;
    }

    private static OcspSigningIdentity FromFiles(string certificatePath, string keyPath, IssuingCa ca, TimeProvider time, string what)
    {
        try
        {
            return OcspSigningIdentity.Load(DevOcspResponder.PemCertificate(certificatePath), PrivateKey(File.ReadAllText(keyPath)), ca, time);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new EstConfigurationException($"cannot load {what}: {exception.Message}", exception);
        }
    }

    private static AsymmetricKeyParameter PrivateKey(string pem)
    {
        using AsymmetricAlgorithm key = pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal) ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (CryptographicException) when (key is ECDsa)
        {
            using RSA rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
        }

        return PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
    }
}
