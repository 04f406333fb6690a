using EstServer.Core.Profiles;
using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>subject: the attributes of the issued subject and where their values come from.</summary>
public sealed class SubjectSectionReaderTests : ProfileReaderFixture
{
    [Test]
    public void Read_UnknownSubjectType_Reported()
    {
        AssertSingle(Kit.Read(With("  - type: CN", "  - type: Nickname")), "subject.type",
            "unknown subject attribute type 'Nickname' (use CN, O, OU, C, ST, L, serialNumber, DC, UID… or a dotted OID)", 10, 11);
    }

    [TestCase("CN")]
    [TestCase("2.5.4.3")]
    public void Read_DuplicateSubjectType_ReportedAtTheSecond(string second)
    {
        AssertSingle(Kit.Read(With("  - type: CN", $"  - type: CN\n  - type: {second}")), "subject.type",
            $"subject attribute {second} is listed twice", 11, 11);
    }

    [Test]
    public void Read_SubjectValueAndFromTogether_Reported()
    {
        AssertSingle(Kit.Read(With("  - type: CN", "  - type: CN\n  - type: O\n    value: Example\n    from: csr")), "subject.from",
            "give either 'value' (fixed) or 'from', not both", 13, 11);
    }

    [Test]
    public void Read_SubjectBadFrom_Reported()
    {
        AssertSingle(Kit.Read(With("  - type: CN", "  - type: CN\n  - type: serialNumber\n    from: certificate")), "subject.from",
            "'from' is csr or clientCertificate, not 'certificate'", 12, 11);
    }

    [TestCase("    value: Example\n    pattern: 'Ex.*'", TestName = "Read_PatternOnFixedValue_ReportedAtTheEntry")]
    [TestCase("    from: clientCertificate\n    required: true", TestName = "Read_RequiredOnClientCertificateValue_ReportedAtTheEntry")]
    public void Read_CsrOnlyOptionOnOtherSource_Reported(string lines)
    {
        AssertSingle(Kit.Read(With("  - type: CN", "  - type: CN\n  - type: O\n" + lines)), "subject",
            "O: 'pattern' and 'required' apply only to values taken from the CSR", 11, 5);
    }

    [Test]
    public void Read_BadRegularExpression_ReportedAtThePattern()
    {
        ProfileRead read = Kit.Read(With("  - type: CN", "  - type: CN\n    pattern: '[a-z'"));

        Assert.That(read.Diagnostics, Has.Count.EqualTo(1));
        ProfileDiagnostic diagnostic = read.Diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.Rule, Is.EqualTo("subject.pattern"));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((11, 14)));
            Assert.That(diagnostic.Message, Does.StartWith("bad regular expression: ").And.Contain("Unterminated [] set"));
        });
    }

    [Test]
    public void Read_EntryWithTypeOnly_IsTheModelDefaultRuleForThatType()
    {
        IReadOnlyList<SubjectAttributeRule> rules = Kit.Load(Minimal).SubjectRules!;

        Assert.That(rules, Is.EqualTo(new[] { new SubjectAttributeRule { Oid = "2.5.4.3", Name = "CN" } }), "from the CSR, optional, any value");
    }
}
