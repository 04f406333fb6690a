using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Yaml;

/// <summary>ProfileYamlDocument: a file that is not one YAML mapping is one problem, located where the parser stopped.</summary>
public sealed class ProfileYamlDocumentTests : ProfileReaderFixture
{
    [Test]
    public void Read_YamlSyntaxError_ReportedWhereTheParserStopped()
    {
        ProfileRead read = Kit.Read(With("labels: [sample]", "labels: [sample]: x"));

        Assert.That(read.Diagnostics, Has.Count.EqualTo(1));
        ProfileDiagnostic diagnostic = read.Diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Rule, Is.EqualTo("yaml"));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((2, 17)));
            Assert.That(diagnostic.Message, Does.Not.Contain("\n"), "one line per problem");
            Assert.That(read.File.Profile, Is.Null);
        });
    }

    [TestCase("- name: a\n- name: b\n", TestName = "Read_TopLevelList_NotAMappingAt1x1")]
    [TestCase("just a sentence\n", TestName = "Read_TopLevelScalar_NotAMappingAt1x1")]
    [TestCase("", TestName = "Read_EmptyFile_NotAMappingAt1x1")]
    [TestCase("name: a\n---\nname: b\n", TestName = "Read_TwoDocuments_NotAMappingAt1x1")]
    public void Read_NotOneMapping_Reported(string yaml)
    {
        AssertSingle(Kit.Read(yaml), "yaml", "a profile file holds exactly one YAML mapping (name: ..., policies: ..., ...)", 1, 1);
    }
}
