using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Profiles;

public class ProfileCatalogTests
{
    private static readonly TrustAnchors NoAnchors = new("none", []);

    private readonly CertificateProfile _devices = ModelProfiles.Device("devices", NoAnchors) with { Labels = ["devices"] };
    private readonly CertificateProfile _meters = ModelProfiles.Device("meters", NoAnchors) with { Labels = ["meters"], Validity = TimeSpan.FromDays(30) };

    [Test]
    public void TryResolve_KnownLabel_ReturnsItsProfile()
    {
        var catalog = new ProfileCatalog([_devices, _meters]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve("meters", out CertificateProfile meters), Is.True);
            Assert.That(meters, Is.SameAs(_meters));
            Assert.That(catalog.TryResolve("devices", out CertificateProfile devices), Is.True);
            Assert.That(devices, Is.SameAs(_devices));
        });
    }

    [Test]
    public void TryResolve_ProfileWithSeveralLabels_EachResolvesToIt()
    {
        CertificateProfile both = _devices with { Labels = ["a", "b"] };
        var catalog = new ProfileCatalog([both]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve("a", out CertificateProfile a), Is.True);
            Assert.That(a, Is.SameAs(both));
            Assert.That(catalog.TryResolve("b", out CertificateProfile b), Is.True);
            Assert.That(b, Is.SameAs(both));
        });
    }

    [Test]
    public void TryResolve_UnknownLabel_ReturnsFalse()
    {
        var catalog = new ProfileCatalog([_devices with { ServesUnlabelled = true }]);

        Assert.That(catalog.TryResolve("printers", out _), Is.False);
    }

    [Test]
    public void TryResolve_LabelInOtherCase_ReturnsFalse()
    {
        // RFC 7030 §3.2.2 labels are path segments, which compare case-sensitively.
        var catalog = new ProfileCatalog([_devices]);

        Assert.That(catalog.TryResolve("Devices", out _), Is.False);
    }

    [Test]
    public void TryResolve_ProfileNameThatIsNoLabel_ReturnsFalse()
    {
        var catalog = new ProfileCatalog([_devices with { Labels = ["d"] }]);

        Assert.That(catalog.TryResolve("devices", out _), Is.False, "a profile is routed by its labels, not by its name");
    }

    [Test]
    public void TryResolve_NoLabelWithUnlabelledRoute_ReturnsUnlabelledProfile()
    {
        CertificateProfile unlabelled = _devices with { Labels = [], ServesUnlabelled = true };
        var catalog = new ProfileCatalog([unlabelled, _meters]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve(null, out CertificateProfile profile), Is.True);
            Assert.That(profile, Is.SameAs(unlabelled));
            Assert.That(catalog.Unlabelled, Is.SameAs(unlabelled));
        });
    }

    [Test]
    public void TryResolve_NoLabelWithoutUnlabelledRoute_ReturnsFalse()
    {
        var catalog = new ProfileCatalog([_meters]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve(null, out _), Is.False);
            Assert.That(catalog.Unlabelled, Is.Null);
        });
    }

    [Test]
    public void TryGetByName_ProfileOnLabelOrUnlabelledRoute_Found()
    {
        var catalog = new ProfileCatalog([_devices with { Labels = [], ServesUnlabelled = true }, _meters with { Labels = ["m"] }]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryGetByName("meters", out CertificateProfile meters), Is.True);
            Assert.That(meters.Name, Is.EqualTo("meters"));
            Assert.That(catalog.TryGetByName("devices", out CertificateProfile devices), Is.True);
            Assert.That(devices.Name, Is.EqualTo("devices"));
            Assert.That(catalog.TryGetByName("m", out _), Is.False, "labels are not profile names");
        });
    }

    [Test]
    public void Labels_WithUnlabelledRoute_ListsConfiguredLabelsOnly()
    {
        var catalog = new ProfileCatalog([_devices with { Labels = ["a"], ServesUnlabelled = true }, _meters with { Labels = ["b"] }]);

        Assert.That(catalog.Labels, Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void Profiles_Always_ListsEveryProfileInOrder()
    {
        var catalog = new ProfileCatalog([_meters, _devices]);

        Assert.That(catalog.Profiles, Is.EqualTo(new[] { _meters, _devices }));
    }

    [Test]
    public void Constructor_TwoUnlabelledProfiles_ThrowsArgumentException()
    {
        Assert.That(
            () => new ProfileCatalog([_devices with { ServesUnlabelled = true }, _meters with { ServesUnlabelled = true }]),
            Throws.ArgumentException.With.Message.Contains("unlabelled"));
    }

    [Test]
    public void Constructor_LabelOnTwoProfiles_ThrowsArgumentException()
    {
        Assert.That(() => new ProfileCatalog([_devices, _meters with { Labels = ["devices"] }]), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_TwoProfilesWithOneName_ThrowsArgumentException()
    {
        Assert.That(() => new ProfileCatalog([_devices, _devices with { Labels = ["other"] }]), Throws.ArgumentException);
    }

    [Test]
    public void SingleProfile_EveryLabelAndNoLabel_ResolveToTheProfile()
    {
        ProfileCatalog catalog = ModelProfiles.Catalog(_devices, ["one", "two"]);

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve(null, out CertificateProfile unlabelled), Is.True);
            Assert.That(unlabelled.Name, Is.EqualTo("devices"));
            Assert.That(catalog.TryResolve("one", out CertificateProfile one), Is.True);
            Assert.That(one, Is.SameAs(unlabelled));
            Assert.That(catalog.TryResolve("two", out CertificateProfile two), Is.True);
            Assert.That(two, Is.SameAs(unlabelled));
            Assert.That(catalog.TryResolve("three", out _), Is.False);
            Assert.That(catalog.TryResolve("devices", out _), Is.False, "the profile's own labels are replaced");
            Assert.That(catalog.TryGetByName("devices", out _), Is.True);
            Assert.That(unlabelled.ServesUnlabelled, Is.True);
        });
    }

    [Test]
    public void Constructor_LabelsChangedInSourceAfterwards_DoNotLeakIn()
    {
        var labels = new List<string> { "a" };
        var catalog = new ProfileCatalog([_devices with { Labels = labels }]);

        labels.Add("b");

        Assert.Multiple(() =>
        {
            Assert.That(catalog.TryResolve("a", out _), Is.True);
            Assert.That(catalog.TryResolve("b", out _), Is.False);
        });
    }
}
