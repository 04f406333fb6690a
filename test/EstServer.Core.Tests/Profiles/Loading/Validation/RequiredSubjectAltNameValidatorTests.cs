using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Validation;

/// <summary>A subjectAltName the profile requires, against whether csrExtensions lets one through.</summary>
public sealed class RequiredSubjectAltNameValidatorTests : ProfileReaderFixture
{
    [Test]
    public void Validate_RequiredNameNotHonoured_ReportedAtTheSubjectAltNameList()
    {
        string yaml = Minimal + "subjectAltName:\n  - type: dns\n    min: 1\ncsrExtensions:\n  ignore: [subjectAltName]\n";

        AssertSingle(Kit.Read(yaml), "subjectAltName",
            "a subjectAltName is required (min > 0) but csrExtensions does not honour subjectAltName, so no request could pass", 14, 3);
    }

    [Test]
    public void Validate_RequiredNameWithCsrExtensionsLeftOut_AcceptedAsTheDefaultHonoursIt()
    {
        Assert.That(Kit.Read(Minimal + "subjectAltName:\n  - type: dns\n    min: 1\n").Diagnostics, Is.Empty);
    }

    [Test]
    public void Validate_OptionalNameNotHonoured_Accepted()
    {
        Assert.That(Kit.Read(Minimal + "subjectAltName:\n  - type: dns\ncsrExtensions:\n  default: reject\n").Diagnostics, Is.Empty);
    }
}
