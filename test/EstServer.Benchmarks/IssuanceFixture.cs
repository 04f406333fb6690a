using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.TestSupport;

namespace EstServer.Benchmarks;

/// <summary>
/// What one issuance works with: an issuing CA (ECDSA P-256 or RSA-2048, key held by the platform),
/// the shipped field-device profile, a device identity, and a base64 CSR body as it arrives.
/// </summary>
public sealed class IssuanceFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "est-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestCaHierarchy _ca;

    public IssuanceFixture(bool rsaCa)
    {
        Directory.CreateDirectory(_directory);
        _ca = TestCaHierarchy.Create(rsaCa ? TestKeyType.Rsa2048 : TestKeyType.EcP256, "Bench");

        using X509Certificate2 manufacturer = TestCertificates.CreateRootCa("CN=Bench Manufacturer");
        string anchor = Path.Combine(_directory, "manufacturer.pem");
        File.WriteAllText(anchor, manufacturer.ExportCertificatePem());
        Device = TestCertificates.CreateClient(manufacturer, "O=Bench, SERIALNUMBER=BENCH-0001, CN=bench-0001");
        ClientCertificate = new Org.BouncyCastle.X509.X509Certificate(Device.RawData);

        var resolver = new TrustAnchorResolver(new Dictionary<string, string> { ["dev:manufacturer"] = anchor });
        ProfileLoadResult profiles = ProfileDirectoryLoader.Load(
            Path.Combine(RepositoryPaths.Root, "config", "profiles"),
            new ProfileLoadContext { ResolveTrustAnchors = resolver.Resolve });
        if (!profiles.IsValid)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, profiles.Diagnostics));
        }

        Profile = profiles.Catalog!.Unlabelled!;
        CsrDer = TestCsr.Create("CN=bench-0001").Der;
        CsrBody = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(CsrDer, Base64FormattingOptions.InsertLineBreaks) + "\n");
    }

    public IssuingCa Ca => _ca.Ca;

    public ICertificateSigner Signer => _ca.Signer;

    public CertificateIssuer Issuer => _ca.Issuer;

    public X509Certificate2 Device { get; }

    public Org.BouncyCastle.X509.X509Certificate ClientCertificate { get; }

    public CertificateProfile Profile { get; }

    public byte[] CsrDer { get; }

    public byte[] CsrBody { get; }

    public void Dispose()
    {
        Device.Dispose();
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
