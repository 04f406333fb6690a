using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Profiles.Loading;

public class TrustAnchorResolverTests
{
    private TestCaHierarchy _chain = null!;
    private TempDirectory _directory = null!;
    private string _profiles = null!;

    [OneTimeSetUp]
    public void CreateFiles()
    {
        _chain = TestCaHierarchy.Create(name: "Resolver");
        _directory = new TempDirectory();
        _profiles = Path.Combine(_directory.Path, "profiles");
        Directory.CreateDirectory(_profiles);
        Directory.CreateDirectory(Path.Combine(_directory.Path, "trust"));
        _directory.Write("trust/root.pem", TestCertificates.Pem(_chain.Root));
        _directory.Write("trust/chain.pem", TestCertificates.Pem(_chain.IssuingCertificate) + TestCertificates.Pem(_chain.Root));
        _directory.Write("trust/empty.pem", "no certificate here\n");
        _directory.Write("trust/broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _directory.Dispose();
        _chain.Dispose();
    }

    [Test]
    public void Resolve_RelativePath_ResolvedAgainstTheProfileDirectory()
    {
        (TrustAnchors? anchors, string? problem) = Resolver().Resolve("../trust/chain.pem", _profiles);

        Assert.That(problem, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(anchors!.Description, Is.EqualTo("../trust/chain.pem"));
            Assert.That(anchors.Roots.Select(c => c.Thumbprint), Is.EqualTo(new[] { _chain.Root.Thumbprint }));
            Assert.That(anchors.Intermediates.Select(c => c.Thumbprint), Is.EqualTo(new[] { _chain.IssuingCertificate.Thumbprint }));
        });
    }

    [Test]
    public void Resolve_AbsolutePath_UsedAsIs()
    {
        string absolute = Path.Combine(_directory.Path, "trust", "root.pem");

        (TrustAnchors? anchors, string? problem) = Resolver().Resolve(absolute, "/nonexistent/profiles");

        Assert.That(problem, Is.Null);
        Assert.That(anchors!.Roots, Has.Count.EqualTo(1));
    }

    [Test]
    public void Resolve_KnownBuiltIn_ReadsMappedFile()
    {
        var resolver = Resolver(new Dictionary<string, string> { ["dev:manufacturer"] = Path.Combine(_directory.Path, "trust", "root.pem") });

        (TrustAnchors? anchors, string? problem) = resolver.Resolve("dev:manufacturer", _profiles);

        Assert.That(problem, Is.Null);
        Assert.That(anchors!.Roots.Select(c => c.Thumbprint), Is.EqualTo(new[] { _chain.Root.Thumbprint }));
        Assert.That(anchors.Description, Is.EqualTo("dev:manufacturer"));
    }

    [Test]
    public void Resolve_UnknownBuiltIn_ProblemListsKnownNames()
    {
        var resolver = Resolver(new Dictionary<string, string> { ["dev:manufacturer"] = "x", ["dev:other"] = "y" });

        (TrustAnchors? anchors, string? problem) = resolver.Resolve("dev:vendor", _profiles);

        Assert.That(anchors, Is.Null);
        Assert.That(problem, Is.EqualTo("unknown built-in anchor 'dev:vendor' (known: dev:manufacturer, dev:other)"));
    }

    [Test]
    public void Resolve_BuiltInWithoutDevPki_ProblemSaysListPemFiles()
    {
        (TrustAnchors? anchors, string? problem) = Resolver().Resolve("dev:manufacturer", _profiles);

        Assert.That(anchors, Is.Null);
        Assert.That(problem, Is.EqualTo("'dev:manufacturer' names a development PKI anchor, but this server runs on a configured CA; list PEM files instead"));
    }

    [TestCase("../trust/missing.pem", TestName = "Resolve_MissingFile_ProblemNamesEntryAndPath")]
    [TestCase("../trust/empty.pem", TestName = "Resolve_FileWithoutCertificate_ProblemNamesEntryAndPath")]
    [TestCase("../trust/broken.pem", TestName = "Resolve_CorruptCertificate_ProblemNamesEntryAndPath")]
    [TestCase("../trust", TestName = "Resolve_Directory_ProblemNamesEntryAndPath")]
    public void Resolve_Unreadable_Problem(string entry)
    {
        string full = Path.GetFullPath(Path.Combine(_profiles, entry));

        (TrustAnchors? anchors, string? problem) = Resolver().Resolve(entry, _profiles);

        Assert.That(anchors, Is.Null);
        Assert.That(problem, Does.StartWith($"cannot read trust anchor '{entry}' ({full}): "));
    }

    private static TrustAnchorResolver Resolver(Dictionary<string, string>? builtIn = null) => new(builtIn ?? new Dictionary<string, string>());
}
