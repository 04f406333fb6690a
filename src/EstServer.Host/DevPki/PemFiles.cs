using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.DevPki;

/// <summary>Writes certificates and keys as PEM; private keys are created owner-only (0600) from the first byte.</summary>
public static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteCertificate(string path, params X509Certificate2[] certificates) =>
        File.WriteAllText(path, string.Concat(certificates.Select(certificate => certificate.ExportCertificatePem() + "\n")));

    public static void WritePrivateKey(string path, X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"{certificate.Subject} has no private key");
        WritePrivateKey(path, key);
    }

    public static void WritePrivateKey(string path, AsymmetricAlgorithm key)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(key.ExportPkcs8PrivateKeyPem());
        writer.Write('\n');
    }

    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath) =>
        X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
}
