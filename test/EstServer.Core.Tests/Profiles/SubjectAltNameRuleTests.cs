using EstServer.Core.Profiles;

namespace EstServer.Core.Tests.Profiles;

public sealed class SubjectAltNameRuleTests
{
    [TestCase(0, 1)]
    [TestCase(1, 1)]
    [TestCase(4, 4)]
    public void Max_NotSet_OneOrMinIfMore(int min, int expectedMax)
    {
        Assert.That(new SubjectAltNameRule { Type = SubjectAltNameType.Dns, Min = min }.Max, Is.EqualTo(expectedMax));
    }

    [Test]
    public void Max_Set_KeptWhateverMinIs()
    {
        Assert.That(new SubjectAltNameRule { Type = SubjectAltNameType.Dns, Min = 2, Max = 5 }.Max, Is.EqualTo(5));
    }

    [Test]
    public void With_MinChangedOnARuleWithoutMax_MaxFollowsTheNewMin()
    {
        SubjectAltNameRule rule = new SubjectAltNameRule { Type = SubjectAltNameType.Ip } with { Min = 3 };

        Assert.That(rule.Max, Is.EqualTo(3));
    }
}
