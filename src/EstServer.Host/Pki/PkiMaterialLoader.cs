using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;

namespace EstServer.Host.Pki;

/// <summary>Reads the configured PKI files, or creates and reads the development PKI when no CA is configured.</summary>
public static class PkiMaterialLoader
{
    /// <summary>A dev server certificate this close to expiry is replaced at start-up, so a long-lived dev setup keeps working.</summary>
    private static readonly TimeSpan ServerRenewal = TimeSpan.FromDays(30);

    public static PkiMaterial Load(EstOptions options, TimeProvider time, PkiNeeds needs)
    {
        (IssuingCa ca, IReadOnlyDictionary<string, string> builtIn, DevPkiLayout? dev, bool created) = LoadAuthority(options, time);
        ICertificateSigner? signer = null;
        if (needs.HasFlag(PkiNeeds.CaKey))
        {
            string caCertificatePath = dev?.IssuingCaCertificate ?? options.Ca.CertificatePath;
            string caKeyPath = dev?.IssuingCaKey ?? options.Ca.KeyPath;
            if (string.IsNullOrWhiteSpace(caKeyPath))
            {
                throw new EstConfigurationException("Est:Ca:KeyPath is required where certificates are signed");
            }

            signer = Guard("Est:Ca:KeyPath", () => CertificateSignerFile.Load(caKeyPath));
            if (!ca.Matches(signer))
            {
                throw new EstConfigurationException($"the CA key {caKeyPath} does not belong to the CA certificate {caCertificatePath}");
            }

            if (dev is not null)
            {
                Guard("the development OCSP responder", () => DevOcspResponder.EnsureCreated(dev, ca, signer, time));
            }
        }

        X509Certificate2? server = null;
        X509Certificate2Collection serverChain = [];
        if (needs.HasFlag(PkiNeeds.TlsServer))
        {
            if (dev is not null && !options.Tls.IsConfigured)
            {
                Guard("the development server certificate", () => RenewDevServerCertificateIfDue(dev, time));
            }

            (server, serverChain) = options.Tls.IsConfigured
                ? LoadServerCertificate(options.Tls.CertificatePath, options.Tls.KeyPath, ("Est:Tls:CertificatePath", "Est:Tls:KeyPath", "Est:Tls"))
                : LoadServerCertificate(dev!.ServerCertificate, dev.ServerKey, ("the development server certificate", "the development server certificate", "the development server certificate"));
        }

        return new PkiMaterial(ca, signer, server, serverChain, builtIn, dev, created);
    }

    /// <summary>
    /// The public half: the CA chain and the built-in trust anchors, creating the development PKI when no
    /// CA is configured. Enough to validate profiles; no private key is read.
    /// </summary>
    public static (IssuingCa Ca, IReadOnlyDictionary<string, string> BuiltInTrustAnchors, DevPkiLayout? DevPki, bool Created) LoadAuthority(EstOptions options, TimeProvider time)
    {
        DevPkiLayout? dev = null;
        bool created = false;
        if (!options.Ca.IsConfigured)
        {
            dev = DevPkiLayout.InDataDir(options.DataDir);
            created = Guard("the development PKI", () => DevPkiGenerator.EnsureCreated(dev, time));
        }

        var chainFiles = new List<string> { dev?.IssuingCaCertificate ?? options.Ca.CertificatePath };
        if (dev is not null)
        {
            chainFiles.Add(dev.TrustAnchor);
        }
        else if (!string.IsNullOrWhiteSpace(options.Ca.ChainPath))
        {
            chainFiles.Add(options.Ca.ChainPath);
        }

        IssuingCa ca = Guard("Est:Ca:CertificatePath", () => LoadCa(chainFiles));
        var builtIn = new Dictionary<string, string>(StringComparer.Ordinal);
        if (dev is not null)
        {
            builtIn["dev:manufacturer"] = dev.ManufacturerCaCertificate;
        }

        return (ca, builtIn, dev, created);
    }

    private static IssuingCa LoadCa(IEnumerable<string> files)
    {
        var certificates = new X509Certificate2Collection();
        foreach (string file in files)
        {
            certificates.ImportFromPemFile(file);
        }

        if (certificates.Count == 0)
        {
            throw new EstConfigurationException("the CA certificate file holds no PEM certificate");
        }

        X509Certificate2 last = certificates[^1];
        if (!last.SubjectName.RawData.AsSpan().SequenceEqual(last.IssuerName.RawData))
        {
            throw new EstConfigurationException(
                "the CA chain must end in a self-signed root (clients need it from cacerts, RFC 7030 §4.1.3); add it with Est:Ca:ChainPath");
        }

        return new IssuingCa(certificates.Select(certificate => certificate.RawData).ToArray());
    }

    /// <summary>Each file is read on its own, so one that cannot be read is named by its setting; a pair that does not fit is named as a pair.</summary>
    private static (X509Certificate2, X509Certificate2Collection) LoadServerCertificate(
        string certificatePath, string keyPath, (string Certificate, string Key, string Pair) settings)
    {
        string certificatePem = Guard(settings.Certificate, () => File.ReadAllText(certificatePath));
        string keyPem = Guard(settings.Key, () => File.ReadAllText(keyPath));
        return Guard(settings.Pair, () => ServerCertificate(certificatePem, keyPem));
    }

    private static (X509Certificate2, X509Certificate2Collection) ServerCertificate(string certificatePem, string keyPem)
    {
        X509Certificate2 leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        var all = new X509Certificate2Collection();
        all.ImportFromPem(certificatePem);
        var chain = new X509Certificate2Collection();
        for (int i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        return (leaf, chain);
    }

    private static void RenewDevServerCertificateIfDue(DevPkiLayout dev, TimeProvider time)
    {
        using X509Certificate2 current = X509CertificateLoader.LoadCertificateFromFile(dev.ServerCertificate);
        DateTimeOffset now = time.GetUtcNow();
        if (current.NotAfter.ToUniversalTime() - now.UtcDateTime > ServerRenewal)
        {
            return;
        }

        using X509Certificate2 root = PemFiles.LoadWithKey(dev.TrustAnchor, dev.RootKey);
        using X509Certificate2 server = DevCertificateFactory.CreateServer(root, now.AddMinutes(-5), now.AddYears(2));
        File.Delete(dev.ServerKey);
        PemFiles.WritePrivateKey(dev.ServerKey, server);
        PemFiles.WriteCertificate(dev.ServerCertificate, server);
    }

    private static T Guard<T>(string what, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidDataException)
        {
            throw new EstConfigurationException($"cannot load {what}: {exception.Message}", exception);
        }
    }

    private static void Guard(string what, Action load) => Guard(what, () =>
    {
        load();
        return true;
    });
}
