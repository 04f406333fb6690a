using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Yaml;

/// <summary>YamlMap: unknown fields and values of the wrong kind, reported at the node.</summary>
public sealed class YamlMapTests : ProfileReaderFixture
{
    [Test]
    public void Read_MisspeltNestedField_UnknownFieldAtTheKey()
    {
        ProfileRead read = Kit.Read(With("  ec: [P-256]", "  ec: [P-256]\n  ed2519: true"));

        AssertSingle(read, "unknown-field", "unknown field 'ed2519' in keys (allowed: ec, rsa, ed25519)", 9, 3);
    }

    [Test]
    public void Read_NotTrueOrFalse_Reported()
    {
        AssertSingle(Kit.Read(With("labels: [sample]", "labels: [sample]\ndefault: yes")), "default", "'yes' is not true or false", 3, 10);
    }

    [Test]
    public void Read_ScalarWhereListExpected_Reported()
    {
        ProfileRead read = Kit.Read(With("keyUsage: [digitalSignature]", "keyUsage: digitalSignature"));

        // The empty list that results is reported too (at the same place); the first message says what is wrong.
        Assert.That(read.Diagnostics.FirstOrDefault(), Is.EqualTo(new ProfileDiagnostic(read.Path, 6, 11, "keyUsage", "expected a list")));
    }

    [Test]
    public void Read_KeyWithNothingAfterIt_ExpectedASingleValue()
    {
        // YAML reads "description:" with nothing after it as null, not as an empty description.
        AssertSingle(Kit.Read(With("name: sample", "name: sample\ndescription:")), "description", "expected a single value", 2, 13);
    }

    [Test]
    public void Read_QuotedEmptyString_IsAValue()
    {
        Assert.That(Kit.Load(With("name: sample", "name: sample\ndescription: ''")).Description, Is.Empty);
    }

    [Test]
    public void Read_MisspeltFieldInAListEntry_UnknownFieldAtTheKey()
    {
        AssertSingle(Kit.Read(With("  - type: CN", "  - type: CN\n    requird: true")), "unknown-field",
            "unknown field 'requird' in subject entry (allowed: type, required, pattern, value, from)", 11, 5);
    }

    [Test]
    public void Read_ListWhereMappingExpected_ExpectedAMapping()
    {
        AssertSingle(Kit.Read(Minimal + "reenroll: [renewalWindow]\n"), "reenroll", "expected a mapping (key: value lines)", 13, 11);
    }
}
