using EstServer.Core.Profiles.Loading;

namespace EstServer.Core.Tests.Profiles.Loading;

public class ProfileDiagnosticTests
{
    [Test]
    public void ToString_WithLine_FileLineColumnRuleMessage()
    {
        var diagnostic = new ProfileDiagnostic("/etc/est/profiles/a.yaml", 12, 5, "keys.ec", "unknown curve 'x'");

        Assert.That(diagnostic.ToString(), Is.EqualTo("/etc/est/profiles/a.yaml:12:5: error [keys.ec]: unknown curve 'x'"));
    }

    [Test]
    public void ToString_WholeFileProblem_NoLine()
    {
        var diagnostic = new ProfileDiagnostic("/etc/est/profiles/a.yaml", 0, 0, "file", "cannot read: denied");

        Assert.That(diagnostic.ToString(), Is.EqualTo("/etc/est/profiles/a.yaml: error [file]: cannot read: denied"));
    }
}
