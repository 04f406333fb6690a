using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>subjectAltName: the names a CSR may ask for.</summary>
public sealed class SubjectAltNameSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_UnknownSubjectAltNameType_Reported()
    {
        AssertSingle(Kit.Read(Minimal + "subjectAltName:\n  - type: dirName\n"), "subjectAltName.type",
            "unknown subjectAltName type 'dirName' (known: dns, ip, email, uri)", 14, 11);
    }

    [Test]
    public void Read_SubjectAltNameTypeListedTwice_Reported()
    {
        AssertSingle(Kit.Read(Minimal + "subjectAltName:\n  - type: dns\n  - type: dns\n"), "subjectAltName.type",
            "subjectAltName type dns is listed twice", 15, 11);
    }

    [TestCase("    min: 3\n    max: 2")]
    [TestCase("    max: 101")]
    public void Read_SubjectAltNameMinMaxInconsistent_ReportedAtTheEntry(string lines)
    {
        AssertSingle(Kit.Read(Minimal + "subjectAltName:\n  - type: dns\n" + lines + "\n"), "subjectAltName", "dns: need 0 <= min <= max <= 100", 14, 5);
    }

    [Test]
    public void Read_EntryWithTypeOnly_IsTheModelDefaultRuleForThatType()
    {
        IReadOnlyList<SubjectAltNameRule> rules = Kit.Load(Minimal + "subjectAltName:\n  - type: dns\n").SubjectAltNameRules!;

        Assert.That(rules, Is.EqualTo(new[] { new SubjectAltNameRule { Type = SubjectAltNameType.Dns } }));
        Assert.That((rules[0].Min, rules[0].Max), Is.EqualTo((0, 1)), "optional, at most one");
    }

    [Test]
    public void Read_MinWithoutMax_MaxIsTheModelDefaultForThatMin()
    {
        IReadOnlyList<SubjectAltNameRule> rules = Kit.Load(Minimal + "subjectAltName:\n  - type: dns\n    min: 3\n" + "csrExtensions:\n  honour: [subjectAltName]\n").SubjectAltNameRules!;

        Assert.That(rules, Is.EqualTo(new[] { new SubjectAltNameRule { Type = SubjectAltNameType.Dns, Min = 3 } }));
        Assert.That(rules[0].Max, Is.EqualTo(3), "a rule that demands three names allows three");
    }

    [Test]
    public void Read_SubjectAltNameLeftOut_NoneAllowed()
    {
        Assert.That(Kit.Load(Minimal).SubjectAltNameRules, Is.Empty.And.Not.Null, "not null, which would accept any name");
    }
}
