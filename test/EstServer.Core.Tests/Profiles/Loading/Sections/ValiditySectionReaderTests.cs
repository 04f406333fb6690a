using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>validity and backdate.</summary>
public sealed class ValiditySectionReaderTests : ProfileReaderFixture
{
    [TestCase("s", 1)]
    [TestCase("m", 60)]
    [TestCase("h", 3600)]
    [TestCase("d", 86400)]
    [TestCase("w", 604800)]
    public void Read_ValidityUnits_Converted(string unit, int seconds)
    {
        CertificateProfile profile = Kit.Load(With("validity: 30d", $"validity: 2{unit}"));

        Assert.That(profile.Validity, Is.EqualTo(TimeSpan.FromSeconds(2 * seconds)));
    }

    [TestCase("0d")]
    [TestCase("0s")]
    public void Read_ValidityZero_Reported(string validity)
    {
        AssertSingle(Kit.Read(With("validity: 30d", $"validity: {validity}")), "validity", "validity must be longer than zero", 5, 11);
    }

    [Test]
    public void Read_ValidityOverCaLifetime_Reported()
    {
        ProfileLoadContext context = Kit.Context with { IssuingCaLifetime = TimeSpan.FromDays(10) };

        AssertSingle(Kit.Read(Minimal, context: context), "validity", "validity 30d is longer than the issuing CA's own validity (10 days)", 5, 11);
    }

    [Test]
    public void Read_ValidityWithoutKnownCaLifetime_NotLimited()
    {
        ProfileLoadContext context = Kit.Context with { IssuingCaLifetime = null };

        Assert.That(Kit.Read(With("validity: 30d", "validity: 100000d"), context: context).Diagnostics, Is.Empty);
    }

    [TestCase("backdate: 5x")]
    [TestCase("backdate: 5 m")]
    [TestCase("backdate: -5m")]
    [TestCase("backdate: 1.5h")]
    [TestCase("backdate: m")]
    [TestCase("backdate: 100001d")]
    public void Read_BadDuration_Reported(string line)
    {
        string text = line["backdate: ".Length..];

        AssertSingle(Kit.Read(With("validity: 30d", "validity: 30d\n" + line)), "backdate",
            $"'{text}' is not a duration (a number and a unit: s, m, h, d, w; e.g. 365d)", 6, 11);
    }

    [Test]
    public void Read_ValidityNotADuration_OnlyTheDurationProblemReported()
    {
        // "1y" is one mistake; a second message claiming the validity is zero would mislead.
        AssertSingle(Kit.Read(With("validity: 30d", "validity: 1y")), "validity",
            "'1y' is not a duration (a number and a unit: s, m, h, d, w; e.g. 365d)", 5, 11);
    }

    [Test]
    public void Read_BackdateOverOneDay_Reported()
    {
        AssertSingle(Kit.Read(With("validity: 30d", "validity: 30d\nbackdate: 25h")), "backdate", "backdate must be at most 1d", 6, 11);
    }
}
