using EstServer.Core.Authentication;
using EstServer.Core.Profiles;

namespace EstServer.Core.Tests.Profiles;

public class ProfileCatalogTests
{
    private static readonly TrustAnchors NoAnchors = new("none", []);

    private readonly CertificateProfile _devices = CertificateProfile.DeviceDefault("devices", NoAnchors);
    private readonly CertificateProfile _meters = CertificateProfile.DeviceDefault("meters", NoAnchors) with { Validity = TimeSpan.FromDays(30) };

    [Test]
    public void TryResolve_KnownLabel_ReturnsItsProfile()
    {
        var catalog = new ProfileCatalog(null, new Dictionary<string, CertificateProfile> { ["devices"] = _devices, ["meters"] = _meters });

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve("meters", out CertificateProfile meters), Is.True);
            Assert.That(meters, Is.SameAs(_meters));
            Assert.That(catalog.TryResolve("devices", out CertificateProfile devices), Is.True);
            Assert.That(devices, Is.SameAs(_devices));
        });
    }

    [Test]
    public void TryResolve_UnknownLabel_ReturnsFalse()
    {
        var catalog = new ProfileCatalog(_devices, new Dictionary<string, CertificateProfile> { ["devices"] = _devices });

        Assert.That(catalog.TryResolve("printers", out _), Is.False);
    }

    [Test]
    public void TryResolve_LabelInOtherCase_ReturnsFalse()
    {
        // RFC 7030 §3.2.2 labels are path segments, which compare case-sensitively.
        var catalog = new ProfileCatalog(null, new Dictionary<string, CertificateProfile> { ["devices"] = _devices });

        Assert.That(catalog.TryResolve("Devices", out _), Is.False);
    }

    [Test]
    public void TryResolve_NoLabelWithUnlabelledRoute_ReturnsUnlabelledProfile()
    {
        var catalog = new ProfileCatalog(_devices, new Dictionary<string, CertificateProfile>());

        Assert.That(catalog.TryResolve(null, out CertificateProfile profile), Is.True);
        Assert.That(profile, Is.SameAs(_devices));
    }

    [Test]
    public void TryResolve_NoLabelWithoutUnlabelledRoute_ReturnsFalse()
    {
        var catalog = new ProfileCatalog(null, new Dictionary<string, CertificateProfile> { ["meters"] = _meters });

        Assert.That(catalog.TryResolve(null, out _), Is.False);
    }

    [Test]
    public void TryGetByName_ProfileOnLabelOrUnlabelledRoute_Found()
    {
        var catalog = new ProfileCatalog(_devices, new Dictionary<string, CertificateProfile> { ["m"] = _meters });

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryGetByName("meters", out CertificateProfile meters), Is.True);
            Assert.That(meters, Is.SameAs(_meters));
            Assert.That(catalog.TryGetByName("devices", out CertificateProfile devices), Is.True);
            Assert.That(devices, Is.SameAs(_devices));
            Assert.That(catalog.TryGetByName("m", out _), Is.False, "labels are not profile names");
        });
    }

    [Test]
    public void Labels_WithUnlabelledRoute_ListsConfiguredLabelsOnly()
    {
        var catalog = new ProfileCatalog(_devices, new Dictionary<string, CertificateProfile> { ["a"] = _devices, ["b"] = _meters });

        Assert.That(catalog.Labels, Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void SingleProfile_EveryLabelAndNoLabel_ResolveToTheProfile()
    {
        ProfileCatalog catalog = ProfileCatalog.SingleProfile(_devices, ["one", "two"]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve(null, out CertificateProfile unlabelled), Is.True);
            Assert.That(unlabelled, Is.SameAs(_devices));
            Assert.That(catalog.TryResolve("one", out CertificateProfile one), Is.True);
            Assert.That(one, Is.SameAs(_devices));
            Assert.That(catalog.TryResolve("two", out CertificateProfile two), Is.True);
            Assert.That(two, Is.SameAs(_devices));
            Assert.That(catalog.TryResolve("three", out _), Is.False);
            Assert.That(catalog.TryGetByName("devices", out _), Is.True);
        });
    }

    [Test]
    public void Constructor_CopiesLabels_LaterChangesToSourceDoNotLeakIn()
    {
        var labels = new Dictionary<string, CertificateProfile> { ["a"] = _devices };
        var catalog = new ProfileCatalog(null, labels);

        labels["b"] = _meters;

        Assert.That(catalog.TryResolve("b", out _), Is.False);
    }
}
