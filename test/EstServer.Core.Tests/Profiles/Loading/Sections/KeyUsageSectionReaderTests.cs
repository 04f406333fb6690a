using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using Org.BouncyCastle.Asn1.X509;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>keyUsage (RFC 5280 §4.2.1.3).</summary>
public sealed class KeyUsageSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_ContentCommitmentName_IsNonRepudiationBit()
    {
        CertificateProfile profile = Kit.Load(With("keyUsage: [digitalSignature]", "keyUsage: [contentCommitment]"));

        Assert.That(profile.KeyUsage, Is.EqualTo(KeyUsage.NonRepudiation));
    }

    [Test]
    public void Read_UnknownKeyUsage_Reported()
    {
        AssertSingle(Kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature, signing]")), "keyUsage",
            "unknown key usage 'signing' (known: digitalSignature, nonRepudiation, contentCommitment, keyEncipherment, dataEncipherment, keyAgreement, encipherOnly, decipherOnly)", 6, 30);
    }

    [TestCase("keyCertSign")]
    [TestCase("cRLSign")]
    public void Read_CaKeyUsage_RefusedAsEndEntityOnly(string usage)
    {
        AssertSingle(Kit.Read(With("keyUsage: [digitalSignature]", $"keyUsage: [digitalSignature, {usage}]")), "keyUsage",
            $"'{usage}' is for CA certificates; profiles issue end-entity certificates only", 6, 30);
    }
}
