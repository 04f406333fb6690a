using EstServer.Host.Configuration;

namespace EstServer.Host.Tests.Configuration;

/// <summary>A setting naming an enum value: read by one rule, exact lower-case names only, wherever it is read.</summary>
[TestFixture]
public sealed class SettingChoiceTests
{
    [TestCase("text", LogOutputFormat.Text)]
    [TestCase("json", LogOutputFormat.Json)]
    public void TryParse_LowerCaseName_GivesTheValue(string text, LogOutputFormat expected)
    {
        bool parsed = SettingChoice.TryParse(text, out LogOutputFormat format);

        Assert.That((parsed, format), Is.EqualTo((true, expected)));
    }

    [TestCase("JSON")]
    [TestCase("Json")]
    [TestCase(" json")]
    [TestCase("1")]
    [TestCase("")]
    [TestCase(null)]
    public void TryParse_AnythingElse_IsRefused(string? text)
    {
        Assert.That(SettingChoice.TryParse(text, out LogOutputFormat _), Is.False);
    }

    [Test]
    public void Problem_DuplicateKeyPolicy_NamesTheSettingAndEveryChoice()
    {
        Assert.That(SettingChoice.Problem<DuplicateKeyPolicy>("Est:DuplicateKeys"), Is.EqualTo("Est:DuplicateKeys must be refuse or allow"));
    }

    [Test]
    public void Parse_UnknownValue_ThrowsTheValidatorsMessage()
    {
        EstConfigurationException? exception = Assert.Throws<EstConfigurationException>(() => SettingChoice.Parse<LogOutputFormat>("Est:LogFormat", "xml"));

        Assert.That(exception!.Message, Is.EqualTo("Est:LogFormat must be text or json"));
    }
}
