using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>name, description, labels and default.</summary>
public sealed class IdentitySectionReaderTests : ProfileReaderFixture
{
    [TestCase("bad name!")]
    [TestCase("a/b")]
    [TestCase("..")]
    public void Read_BadName_Reported(string name)
    {
        AssertSingle(Kit.Read(With("name: sample", $"name: '{name}'")), "name",
            $"profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'", 1, 7);
    }

    [Test]
    public void Read_NameOf65Characters_Reported()
    {
        string name = new('n', 65);

        AssertSingle(Kit.Read(With("name: sample", $"name: {name}")), "name", $"profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'", 1, 7);
    }

    [Test]
    public void Read_BadLabel_ReportedAtTheLabel()
    {
        AssertSingle(Kit.Read(With("labels: [sample]", "labels: [sample, a/b]")), "labels",
            "label 'a/b' must be one URL path segment of letters, digits, '.', '_' or '-'", 2, 18);
    }

    [TestCase("cacerts")]
    [TestCase("simpleenroll")]
    [TestCase("simplereenroll")]
    [TestCase("csrattrs")]
    [TestCase("serverkeygen")]
    [TestCase("fullcmc")]
    public void Read_OperationNameAsLabel_Reported(string label)
    {
        AssertSingle(Kit.Read(With("labels: [sample]", $"labels: [{label}]")), "labels", $"label '{label}' is an EST operation name", 2, 10);
    }
}
