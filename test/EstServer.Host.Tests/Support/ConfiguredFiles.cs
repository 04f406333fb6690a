using System.Security.Cryptography.X509Certificates;
using EstServer.Host.Configuration;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Support;

/// <summary>A complete configured PKI on disk: root → issuing CA, a TLS certificate, a manufacturer anchor.</summary>
internal sealed class ConfiguredFiles : IDisposable
{
    private ConfiguredFiles(TempDirectory dir, X509Certificate2 root, X509Certificate2 issuing, X509Certificate2 server, X509Certificate2 manufacturer)
    {
        Dir = dir;
        Root = root;
        Issuing = issuing;
        Server = server;
        Manufacturer = manufacturer;
    }

    public TempDirectory Dir { get; }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Issuing { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Manufacturer { get; }

    public string IssuingChainPath => Dir.Combine("issuing-chain.pem");

    public string IssuingKeyPath => Dir.Combine("issuing.key");

    public string TlsCertificatePath => Dir.Combine("tls.pem");

    public string TlsKeyPath => Dir.Combine("tls.key");

    public string AnchorsPath => Dir.Combine("manufacturers.pem");

    public static ConfiguredFiles Create(TempDirectory dir, bool rsaIssuer = false)
    {
        X509Certificate2 root = TestCertificates.CreateRootCa("CN=Configured Root CA, O=Host Tests");
        X509Certificate2 issuing = TestCertificates.CreateIntermediateCa(root, "CN=Configured Issuing CA, O=Host Tests", rsaIssuer ? TestKeyType.Rsa2048 : TestKeyType.EcP256);
        X509Certificate2 server = TestCertificates.CreateClient(root, "CN=est.example", dnsNames: ["est.example"]);
        X509Certificate2 manufacturer = TestCertificates.CreateRootCa("CN=Configured Manufacturer CA");
        var files = new ConfiguredFiles(dir, root, issuing, server, manufacturer);
        TestCertificates.WritePem(files.IssuingChainPath, issuing, root);
        TestCertificates.WriteKeyPem(files.IssuingKeyPath, issuing);
        TestCertificates.WritePem(files.TlsCertificatePath, server, root);
        TestCertificates.WriteKeyPem(files.TlsKeyPath, server);
        TestCertificates.WritePem(files.AnchorsPath, manufacturer);
        TestProfile.WriteDirectory(files.ProfilesPath, files.Profile);
        return files;
    }

    public EstOptions Options() => new()
    {
        DataDir = Dir.Path,
        Ca = new CaOptions { CertificatePath = IssuingChainPath, KeyPath = IssuingKeyPath },
        Tls = new TlsOptions { CertificatePath = TlsCertificatePath, KeyPath = TlsKeyPath },
        ProfilesPath = ProfilesPath,
    };

    /// <summary>A profile directory (written by <see cref="Create"/>) whose default profile trusts the manufacturer anchor.</summary>
    public string ProfilesPath => Dir.Combine("profiles");

    /// <summary>The profile <see cref="Create"/> writes: the unlabelled route, devices of <see cref="Manufacturer"/> may enroll.</summary>
    public TestProfile Profile => new() { Name = "configured", Default = true, TrustAnchors = [AnchorsPath] };

    public void Dispose()
    {
        Root.Dispose();
        Issuing.Dispose();
        Server.Dispose();
        Manufacturer.Dispose();
    }
}
