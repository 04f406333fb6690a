using System.Security.Cryptography;
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

    public IssuanceFixture(bool rsaCa)
    {
        Directory.CreateDirectory(_directory);
        using X509Certificate2 root = TestCertificates.CreateRootCa("CN=Bench Root");
        AsymmetricAlgorithm caKey = rsaCa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest caRequest = caKey is RSA rsa
            ? new CertificateRequest("CN=Bench Issuing CA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=Bench Issuing CA", (ECDsa)caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using ECDsa rootKey = root.GetECDsaPrivateKey()!;
        caRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using X509Certificate2 issuing = caRequest.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(4), RandomNumberGenerator.GetBytes(12));
        Ca = new IssuingCa([issuing.RawData, root.RawData]);
        Signer = caKey is RSA rsaKey ? new RsaCertificateSigner(rsaKey) : new EcdsaCertificateSigner((ECDsa)caKey);
        Issuer = new CertificateIssuer(Ca, Signer);

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

    public IssuingCa Ca { get; }

    public ICertificateSigner Signer { get; }

    public CertificateIssuer Issuer { get; }

    public X509Certificate2 Device { get; }

    public Org.BouncyCastle.X509.X509Certificate ClientCertificate { get; }

    public CertificateProfile Profile { get; }

    public byte[] CsrDer { get; }

    public byte[] CsrBody { get; }

    public void Dispose()
    {
        Device.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
