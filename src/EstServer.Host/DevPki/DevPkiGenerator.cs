using EstServer.Host.Configuration;

namespace EstServer.Host.DevPki;

/// <summary>
/// Creates the development PKI on first start and reuses it afterwards. It is written to a scratch
/// directory and renamed into place, so an interrupted first start never leaves half a PKI behind.
/// </summary>
public static class DevPkiGenerator
{
    public const string DemoDeviceName = "demo-device-0001";

    /// <returns>true if the PKI was created now, false if it already existed.</returns>
    public static bool EnsureCreated(DevPkiLayout layout, TimeProvider time)
    {
        if (layout.Exists)
        {
            string[] missing = layout.RequiredFiles.Where(path => !File.Exists(path)).Select(Path.GetFileName).ToArray()!;
            if (missing.Length > 0)
            {
                throw new EstConfigurationException(
                    $"the development PKI at {layout.Directory} is incomplete (missing {string.Join(", ", missing)}); delete that directory to have it created again");
            }

            return false;
        }

        string parent = Path.GetDirectoryName(layout.Directory)!;
        Directory.CreateDirectory(parent);
        string scratch = Path.Combine(parent, $".dev-pki-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(scratch);
        }
        else
        {
            Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        try
        {
            Write(new DevPkiLayout(scratch), time);
            Directory.Move(scratch, layout.Directory);
            return true;
        }
        catch (IOException) when (layout.Exists)
        {
            // Another process (a host and a signer starting together) created it first: use theirs.
            Directory.Delete(scratch, recursive: true);
            return false;
        }
        catch
        {
            Directory.Delete(scratch, recursive: true);
            throw;
        }
    }

    private static void Write(DevPkiLayout target, TimeProvider time)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset start = now.AddMinutes(-5);
        using var root = DevCertificateFactory.CreateRoot("CN=EstServer Dev Root CA, O=EstServer development", start, now.AddYears(10));
        using var issuing = DevCertificateFactory.CreateIntermediate(root, "CN=EstServer Dev Issuing CA, O=EstServer development", start, now.AddYears(5));
        using var server = DevCertificateFactory.CreateServer(root, start, now.AddYears(2));
        using var manufacturer = DevCertificateFactory.CreateRoot("CN=Demo Manufacturer IDevID CA, O=Demo Manufacturer", start, now.AddYears(20));
        using var device = DevCertificateFactory.CreateDevice(manufacturer, DemoDeviceName, start, now.AddYears(20));

        PemFiles.WriteCertificate(target.TrustAnchor, root);
        PemFiles.WritePrivateKey(target.RootKey, root);
        PemFiles.WriteCertificate(target.IssuingCaCertificate, issuing);
        PemFiles.WritePrivateKey(target.IssuingCaKey, issuing);
        PemFiles.WriteCertificate(target.ServerCertificate, server);
        PemFiles.WritePrivateKey(target.ServerKey, server);
        PemFiles.WriteCertificate(target.ManufacturerCaCertificate, manufacturer);
        PemFiles.WritePrivateKey(target.ManufacturerCaKey, manufacturer);
        PemFiles.WriteCertificate(target.DeviceCertificate, device);
        PemFiles.WritePrivateKey(target.DeviceKey, device);
        Directory.CreateDirectory(target.DevicesDirectory);
    }

    /// <summary>Mints another demo device identity under devices/; used for tests and load runs.</summary>
    public static (string CertificatePath, string KeyPath) MintDevice(DevPkiLayout layout, string name, TimeProvider time)
    {
        using var manufacturer = PemFiles.LoadWithKey(layout.ManufacturerCaCertificate, layout.ManufacturerCaKey);
        DateTimeOffset now = time.GetUtcNow();
        using var device = DevCertificateFactory.CreateDevice(manufacturer, name, now.AddMinutes(-5), now.AddYears(20));
        Directory.CreateDirectory(layout.DevicesDirectory);
        string certificatePath = Path.Combine(layout.DevicesDirectory, name + ".pem");
        string keyPath = Path.Combine(layout.DevicesDirectory, name + ".key");
        File.Delete(keyPath);
        PemFiles.WritePrivateKey(keyPath, device);
        PemFiles.WriteCertificate(certificatePath, device);
        return (certificatePath, keyPath);
    }
}
