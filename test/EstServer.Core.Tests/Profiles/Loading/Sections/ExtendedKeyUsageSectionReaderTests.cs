using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>extendedKeyUsage (RFC 5280 §4.2.1.12).</summary>
public sealed class ExtendedKeyUsageSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_UnknownExtendedKeyUsage_Reported()
    {
        AssertSingle(Kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature]\nextendedKeyUsage: [clientAuth, sso]")), "extendedKeyUsage",
            "unknown extended key usage 'sso' (use a dotted OID or one of serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning)", 7, 32);
    }

    [Test]
    public void Read_NameAndItsOidBoth_ListedOnce()
    {
        CertificateProfile profile = Kit.Load(With("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature]\nextendedKeyUsage: [clientAuth, 1.3.6.1.5.5.7.3.2]"));

        Assert.That(profile.ExtendedKeyUsages, Is.EqualTo(new[] { CertificateProfile.ClientAuthOid }));
    }

    [Test]
    public void Read_ExtendedKeyUsageLeftOut_NoneAsInTheModel()
    {
        Assert.That(Kit.Load(Minimal).ExtendedKeyUsages, Is.Empty);
    }
}
