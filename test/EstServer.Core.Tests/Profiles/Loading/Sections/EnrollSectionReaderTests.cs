using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using EstServer.TestSupport;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>enroll: the device-identity trust anchors.</summary>
public sealed class EnrollSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_MissingTrustAnchorFile_ReportedWithResolvedPath()
    {
        ProfileRead read = Kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [missing.pem]"));
        string expectedPath = Path.Combine(Path.GetDirectoryName(read.Path)!, "missing.pem");

        AssertSingleStartsWith(read, "enroll.trustAnchors", $"cannot read trust anchor 'missing.pem' ({expectedPath}): ", 12, 18);
    }

    [Test]
    public void Read_TrustAnchorFileWithoutCertificate_Reported()
    {
        Kit.Directory.Write("not-a-certificate.pem", "this is no PEM\n");

        ProfileRead read = Kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [not-a-certificate.pem]"));

        AssertSingleStartsWith(read, "enroll.trustAnchors", "cannot read trust anchor 'not-a-certificate.pem' (", 12, 18);
        Assert.That(read.Diagnostics[0].Message, Does.EndWith("holds no PEM certificate"));
    }

    [Test]
    public void Read_TrustAnchorWithoutRoot_Reported()
    {
        using TestCaHierarchy chain = TestCaHierarchy.Create(name: "Rootless");
        Kit.Directory.Write("intermediate-only.pem", TestCertificates.Pem(chain.IssuingCertificate));

        AssertSingle(Kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [intermediate-only.pem]")), "enroll.trustAnchors",
            "the trust anchors hold no self-signed root certificate to end device identity paths at", 12, 17);
    }

    [Test]
    public void Read_UnknownDevAnchor_ReportedWithKnownNames()
    {
        AssertSingle(Kit.Read(With("  trustAnchors: [dev:manufacturer]", "  trustAnchors: [dev:vendor]")), "enroll.trustAnchors",
            "unknown built-in anchor 'dev:vendor' (known: dev:manufacturer)", 12, 18);
    }

    [Test]
    public void Read_DevAnchorOnConfiguredCa_Reported()
    {
        var configured = new TrustAnchorResolver(new Dictionary<string, string>());
        ProfileLoadContext context = Kit.Context with { ResolveTrustAnchors = configured.Resolve };

        AssertSingle(Kit.Read(Minimal, context: context), "enroll.trustAnchors",
            "'dev:manufacturer' names a development PKI anchor, but this server runs on a configured CA; list PEM files instead", 12, 18);
    }
}
