using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>csrExtensions: honour, ignore or reject what a CSR requests.</summary>
public sealed class CsrExtensionsSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_UnknownExtensionName_Reported()
    {
        AssertSingle(Kit.Read(Minimal + "csrExtensions:\n  ignore: [keyUsage, fooBar]\n"), "csrExtensions",
            "unknown extension 'fooBar' (use a dotted OID or one of subjectAltName, keyUsage, extendedKeyUsage, basicConstraints, subjectKeyIdentifier, authorityKeyIdentifier, certificatePolicies, subjectDirectoryAttributes)", 14, 22);
    }

    [TestCase("basicConstraints")]
    [TestCase("keyUsage")]
    [TestCase("extendedKeyUsage")]
    [TestCase("subjectKeyIdentifier")]
    [TestCase("authorityKeyIdentifier")]
    [TestCase("certificatePolicies")]
    [TestCase("2.5.29.19")]
    public void Read_HonouringProfileOwnedExtension_Reported(string extension)
    {
        AssertSingle(Kit.Read(Minimal + $"csrExtensions:\n  honour: [subjectAltName, {extension}]\n"), "csrExtensions",
            $"'{extension}' is set by the profile itself and cannot be honoured from a CSR; list it under ignore or reject", 14, 28);
    }

    [TestCase("subjectAltName")]
    [TestCase("2.5.29.17")]
    public void Read_ExtensionInTwoLists_ReportedAtTheSecond(string second)
    {
        AssertSingle(Kit.Read(Minimal + $"csrExtensions:\n  honour: [subjectAltName]\n  reject: [{second}]\n"), "csrExtensions",
            $"'{second}' is listed under more than one of honour, ignore, reject", 15, 12);
    }

    [TestCase("honour")]
    [TestCase("copy")]
    public void Read_ExtensionDefaultNotRejectOrIgnore_Reported(string value)
    {
        AssertSingle(Kit.Read(Minimal + $"csrExtensions:\n  default: {value}\n"), "csrExtensions.default",
            "default is reject or ignore (copying unknown extensions blindly is never safe)", 14, 12);
    }

    [Test]
    public void Read_CsrExtensionsLeftOut_DeviceDefault()
    {
        Assert.That(Kit.Load(Minimal).CsrExtensions, Is.SameAs(CsrExtensionPolicy.DeviceDefault));
    }

    [Test]
    public void Read_EmptyCsrExtensions_TheModelDefaultPolicyWhichRejectsEverything()
    {
        CsrExtensionPolicy policy = Kit.Load(Minimal + "csrExtensions: {}\n").CsrExtensions;
        var model = new CsrExtensionPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(policy.Actions, Is.EquivalentTo(model.Actions).And.Empty);
            Assert.That(policy.Default, Is.EqualTo(model.Default).And.EqualTo(CsrExtensionAction.Reject));
        });
    }
}
