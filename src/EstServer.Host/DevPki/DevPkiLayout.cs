namespace EstServer.Host.DevPki;

/// <summary>
/// The fixed file names of the development PKI under EST_DATA_DIR/dev-pki, which the README, the
/// start-up instructions and scripts rely on.
/// </summary>
public sealed class DevPkiLayout(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public static DevPkiLayout InDataDir(string dataDir) => new(Path.Combine(dataDir, "dev-pki"));

    /// <summary>What a client trusts: the dev root CA.</summary>
    public string TrustAnchor => File("trust-anchor.pem");

    public string RootKey => File("root-ca.key");

    public string IssuingCaCertificate => File("issuing-ca.pem");

    public string IssuingCaKey => File("issuing-ca.key");

    public string ServerCertificate => File("server.pem");

    public string ServerKey => File("server.key");

    /// <summary>The delegated OCSP responder (RFC 6960 §4.2.2.2), made where the CA key is, so hosts without it can answer OCSP.</summary>
    public string OcspResponderCertificate => File("ocsp-responder.pem");

    public string OcspResponderKey => File("ocsp-responder.key");

    /// <summary>Stands in for a device maker's IDevID CA.</summary>
    public string ManufacturerCaCertificate => File("manufacturer-ca.pem");

    public string ManufacturerCaKey => File("manufacturer-ca.key");

    /// <summary>The demo device identity (an IDevID signed by the manufacturer CA).</summary>
    public string DeviceCertificate => File("device.pem");

    public string DeviceKey => File("device.key");

    /// <summary>More demo device identities, minted with scripts/dev-device.sh.</summary>
    public string DevicesDirectory => File("devices");

    /// <summary>
    /// What every process needs. Private keys are checked where they are loaded, so a host in Redis mode
    /// runs from a copy of the directory without the CA keys.
    /// </summary>
    public IEnumerable<string> RequiredFiles =>
    [
        TrustAnchor, IssuingCaCertificate, ManufacturerCaCertificate, DeviceCertificate,
    ];

    public bool Exists => System.IO.Directory.Exists(Directory);

    private string File(string name) => Path.Combine(Directory, name);
}
