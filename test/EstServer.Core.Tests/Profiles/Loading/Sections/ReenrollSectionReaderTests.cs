using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>reenroll (RFC 7030 §4.2.2).</summary>
public sealed class ReenrollSectionReaderTests : ProfileReaderFixture
{
    [TestCase("0d")]
    [TestCase("0s")]
    public void Read_NonPositiveRenewalWindow_Reported(string window)
    {
        AssertSingle(Kit.Read(Minimal + $"reenroll:\n  renewalWindow: {window}\n"), "reenroll.renewalWindow",
            "renewalWindow must be longer than zero (omit it to allow re-enrollment at any time)", 14, 18);
    }

    [Test]
    public void Read_EmptyReenroll_EqualsTheModelDefault()
    {
        ReenrollPolicy policy = Kit.Load(Minimal + "reenroll: {}\n").Reenroll;

        Assert.Multiple(() =>
        {
            Assert.That(policy, Is.EqualTo(new ReenrollPolicy()).And.EqualTo(ReenrollPolicy.Default));
            Assert.That(policy.RenewalWindow, Is.Null, "renewal any time");
            Assert.That(policy.GracePeriod, Is.EqualTo(TimeSpan.Zero));
            Assert.That(policy.AllowSubjectChange, Is.False);
        });
    }
}
