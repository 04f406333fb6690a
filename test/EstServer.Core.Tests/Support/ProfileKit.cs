using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Support;

/// <summary>
/// A scratch directory with a test-made manufacturer root CA, and the load context that maps
/// <c>dev:manufacturer</c> to it, for reading profile YAML as the server does.
/// </summary>
internal sealed class ProfileKit : IDisposable
{
    public ProfileKit(TimeSpan? issuingCaLifetime = null)
    {
        Directory = new TempDirectory();
        ManufacturerRoot = TestCertificates.CreateRootCa("CN=Kit Manufacturer Root, O=EstServer Tests");
        ManufacturerPem = Directory.Write("manufacturer-root.pem", TestCertificates.Pem(ManufacturerRoot));
        Resolver = new TrustAnchorResolver(new Dictionary<string, string>(StringComparer.Ordinal) { ["dev:manufacturer"] = ManufacturerPem });
        Context = new ProfileLoadContext { ResolveTrustAnchors = Resolver.Resolve, IssuingCaLifetime = issuingCaLifetime };
    }

    public TempDirectory Directory { get; }

    public X509Certificate2 ManufacturerRoot { get; }

    public string ManufacturerPem { get; }

    public TrustAnchorResolver Resolver { get; }

    public ProfileLoadContext Context { get; }

    /// <summary>A fresh, empty subdirectory of the scratch directory.</summary>
    public string NewDirectory(string name)
    {
        string path = Path.Combine(Directory.Path, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes <paramref name="yaml"/> to a file and reads it with <see cref="ProfileYamlReader"/>.</summary>
    public ProfileRead Read(string yaml, string fileName = "profile.yaml", ProfileLoadContext? context = null)
    {
        string path = Directory.Write(fileName, yaml);
        var diagnostics = new List<ProfileDiagnostic>();
        ProfileFile file = ProfileYamlReader.Read(path, yaml, context ?? Context, diagnostics);
        return new ProfileRead(file, diagnostics, path);
    }

    /// <summary>Reads a profile that must be valid.</summary>
    public CertificateProfile Load(TestProfile profile) => Load(profile.ToYaml(), profile.Name + ".yaml");

    public CertificateProfile Load(string yaml, string fileName = "profile.yaml")
    {
        ProfileRead read = Read(yaml, fileName);
        Assert.That(read.Diagnostics, Is.Empty, "the test's profile must be valid:\n" + yaml);
        return read.File.Profile!;
    }

    public void Dispose()
    {
        ManufacturerRoot.Dispose();
        Directory.Dispose();
    }
}

internal sealed record ProfileRead(ProfileFile File, List<ProfileDiagnostic> Diagnostics, string Path);
