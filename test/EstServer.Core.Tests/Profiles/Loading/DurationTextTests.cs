using EstServer.Core.Profiles.Loading;

namespace EstServer.Core.Tests.Profiles.Loading;

public class DurationTextTests
{
    [TestCase("90s", 90)]
    [TestCase("30m", 30 * 60)]
    [TestCase("12h", 12 * 3600)]
    [TestCase("365d", 365 * 86400)]
    [TestCase("2w", 14 * 86400)]
    [TestCase("0d", 0)]
    [TestCase("100000s", 100_000)]
    public void TryParse_NumberAndUnit_Parsed(string text, long seconds)
    {
        Assert.That(DurationText.TryParse(text, out TimeSpan duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("")]
    [TestCase("d")]
    [TestCase("5")]
    [TestCase("5y")]
    [TestCase("5D")]
    [TestCase("-5d")]
    [TestCase("+5d")]
    [TestCase("5 d")]
    [TestCase(" 5d")]
    [TestCase("1.5d")]
    [TestCase("1,5d")]
    [TestCase("100001d")]
    [TestCase("5dd")]
    [TestCase("99999999999999999999d")]
    public void TryParse_Malformed_False(string text)
    {
        Assert.That(DurationText.TryParse(text, out TimeSpan duration), Is.False);
        Assert.That(duration, Is.EqualTo(TimeSpan.Zero));
    }
}
