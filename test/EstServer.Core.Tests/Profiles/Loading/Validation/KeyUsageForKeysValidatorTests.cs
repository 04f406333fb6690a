using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Validation;

/// <summary>Key usages that only some key types can carry, against the key types the profile allows.</summary>
public sealed class KeyUsageForKeysValidatorTests : ProfileReaderFixture
{
    private const string Message =
        "these key usages leave some allowed key types with none (keyEncipherment applies to RSA keys only, keyAgreement to EC keys only); add digitalSignature or narrow keys";

    [Test]
    public void Validate_KeyEnciphermentOnlyWithEcKeys_ReportedAtKeyUsage()
    {
        AssertSingle(Kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: [keyEncipherment]")), "keyUsage", Message, 6, 11);
    }

    [Test]
    public void Validate_KeyAgreementOnlyWithRsaAllowed_ReportedAtKeyUsage()
    {
        string yaml = With("keyUsage: [digitalSignature]", "keyUsage: [keyAgreement]").Replace("  ec: [P-256]\n", "  ec: [P-256]\n  rsa: {}\n", StringComparison.Ordinal);

        AssertSingle(Kit.Read(yaml), "keyUsage", Message, 6, 11);
    }

    [Test]
    public void Validate_KeyEnciphermentOnlyWithRsaOnly_Accepted()
    {
        string yaml = With("keyUsage: [digitalSignature]", "keyUsage: [keyEncipherment]").Replace("  ec: [P-256]\n", "  rsa: {}\n", StringComparison.Ordinal);

        Assert.That(Kit.Read(yaml).Diagnostics, Is.Empty);
    }

    [Test]
    public void Validate_DigitalSignatureBesideTheKeyTypeOnlyUsages_Accepted()
    {
        string yaml = With("keyUsage: [digitalSignature]", "keyUsage: [digitalSignature, keyEncipherment, keyAgreement]")
            .Replace("  ec: [P-256]\n", "  ec: [P-256]\n  rsa: {}\n  ed25519: true\n", StringComparison.Ordinal);

        Assert.That(Kit.Read(yaml).Diagnostics, Is.Empty);
    }
}
