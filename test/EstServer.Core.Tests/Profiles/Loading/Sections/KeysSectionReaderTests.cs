using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>keys: the subject keys a profile certifies.</summary>
public sealed class KeysSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_UnknownCurve_Reported()
    {
        AssertSingle(Kit.Read(With("  ec: [P-256]", "  ec: [P-256, secp256k1]")), "keys.ec", "unknown curve 'secp256k1' (known: P-256, P-384, P-521)", 8, 15);
    }

    [TestCase(1024)]
    [TestCase(2047)]
    public void Read_RsaMinBitsBelow2048_Reported(int bits)
    {
        AssertSingle(Kit.Read(With("  ec: [P-256]", $"  ec: [P-256]\n  rsa: {{ minBits: {bits} }}")), "keys.rsa",
            "minBits below 2048 is not allowed (NIST SP 800-131A)", 9, 19);
    }

    [Test]
    public void Read_RsaMaxBitsBelowMinBits_Reported()
    {
        AssertSingle(Kit.Read(With("  ec: [P-256]", "  ec: [P-256]\n  rsa: { minBits: 4096, maxBits: 2048 }")), "keys.rsa",
            "maxBits must be at least minBits and at most 16384", 9, 34);
    }

    [Test]
    public void Read_NoKeyAlgorithm_ReportedAtKeys()
    {
        AssertSingle(Kit.Read(With("  ec: [P-256]", "  ed25519: false")), "keys",
            "no key algorithm is allowed; list ec curves, rsa sizes or ed25519: true", 8, 3);
    }

    [Test]
    public void Read_OnlyEd25519Listed_OtherKeyTypesAreTheModelDefault()
    {
        KeyPolicy keys = Kit.Load(With("  ec: [P-256]", "  ed25519: true")).Keys;
        var model = new KeyPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(keys.AllowedCurves, Is.EquivalentTo(model.AllowedCurves).And.Empty, "ec omitted: no curve");
            Assert.That(keys.AllowRsa, Is.EqualTo(model.AllowRsa).And.False, "rsa omitted: RSA refused");
            Assert.That(keys.AllowEd25519, Is.True);
        });
    }

    [Test]
    public void Read_RsaWithoutSizes_AllowedWithTheModelDefaultSizes()
    {
        KeyPolicy keys = Kit.Load(With("  ec: [P-256]", "  rsa: {}")).Keys;
        var model = new KeyPolicy();

        Assert.Multiple(() =>
        {
            Assert.That(keys.AllowRsa, Is.True);
            Assert.That((keys.MinRsaBits, keys.MaxRsaBits), Is.EqualTo((model.MinRsaBits, model.MaxRsaBits)));
            Assert.That(keys.AllowedCurves, Is.Empty);
            Assert.That(keys.AllowEd25519, Is.EqualTo(model.AllowEd25519).And.False);
        });
    }
}
