using System.Security.Cryptography;

namespace EstServer.Core.Issuance;

/// <summary>Loads a CA private key from a PEM file (PKCS#8, or the traditional EC/RSA forms).</summary>
public static class CertificateSignerFile
{
    public static ICertificateSigner Load(string path)
    {
        string pem = File.ReadAllText(path);
        if (pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            return LoadRsa(pem);
        }

        if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal))
        {
            return LoadEcdsa(pem);
        }

        try
        {
            return LoadEcdsa(pem);
        }
        catch (CryptographicException)
        {
            return LoadRsa(pem);
        }
    }

    private static EcdsaCertificateSigner LoadEcdsa(string pem)
    {
        ECDsa key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return new EcdsaCertificateSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static RsaCertificateSigner LoadRsa(string pem)
    {
        RSA key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            return new RsaCertificateSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
