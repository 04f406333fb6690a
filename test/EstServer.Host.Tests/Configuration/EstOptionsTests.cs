using EstServer.Host.Configuration;
using EstServer.Host.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EstServer.Host.Tests.Configuration;

/// <summary>The "Est" section bound as the host binds it: an immutable record whose choices are read as typed values.</summary>
[TestFixture]
[NonParallelizable]
public sealed class EstOptionsTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void DataDir_NotSetOrEmpty_IsTheEnvironmentsDataDirectory(string? configured)
    {
        using EnvironmentVariableScope environment = new EnvironmentVariableScope().Set("EST_DATA_DIR", "/srv/est-state");

        EstOptions options = Bind(("Est:DataDir", configured));

        Assert.That(options.DataDir, Is.EqualTo("/srv/est-state"));
    }

    [Test]
    public void DataDir_Configured_IsKept()
    {
        Assert.That(Bind(("Est:DataDir", "/var/lib/est")).DataDir, Is.EqualTo("/var/lib/est"));
    }

    [TestCase(null, DuplicateKeyPolicy.Refuse)]
    [TestCase("refuse", DuplicateKeyPolicy.Refuse)]
    [TestCase("allow", DuplicateKeyPolicy.Allow)]
    public void DuplicateKeyPolicy_Bound_IsTheTypedChoice(string? configured, DuplicateKeyPolicy expected)
    {
        Assert.That(Bind(("Est:DuplicateKeys", configured)).DuplicateKeyPolicy, Is.EqualTo(expected));
    }

    [Test]
    public void With_ChangedCopy_LeavesTheOriginalAlone()
    {
        EstOptions original = Bind(("Est:Ca:KeyPath", "ca.key"));

        EstOptions changed = original with { Ca = original.Ca with { KeyPath = "" } };

        Assert.That((original.Ca.KeyPath, changed.Ca.KeyPath), Is.EqualTo(("ca.key", "")));
    }

    private static EstOptions Bind(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build()
            .GetSection(EstOptions.Section)
            .Get<EstOptions>() ?? new EstOptions();
}
