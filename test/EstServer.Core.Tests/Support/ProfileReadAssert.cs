using EstServer.Core.Profiles.Loading;

namespace EstServer.Core.Tests.Support;

/// <summary>Assertions on one profile file read: exactly one problem, where and what.</summary>
internal static class ProfileReadAssert
{
    public static void AssertSingle(ProfileRead read, string rule, string message, int line, int column)
    {
        Assert.Multiple(() =>
        {
            Assert.That(read.Diagnostics, Is.EqualTo(new[] { new ProfileDiagnostic(read.Path, line, column, rule, message) }).AsCollection);
            Assert.That(read.File.Profile, Is.Null, "an invalid file yields no profile");
        });
    }

    public static void AssertSingleStartsWith(ProfileRead read, string rule, string messageStart, int line, int column)
    {
        Assert.That(read.Diagnostics, Has.Count.EqualTo(1), string.Join("\n", read.Diagnostics));
        ProfileDiagnostic diagnostic = read.Diagnostics[0];
        Assert.Multiple(() =>
        {
            Assert.That(diagnostic.File, Is.EqualTo(read.Path));
            Assert.That(diagnostic.Rule, Is.EqualTo(rule));
            Assert.That(diagnostic.Message, Does.StartWith(messageStart));
            Assert.That((diagnostic.Line, diagnostic.Column), Is.EqualTo((line, column)));
            Assert.That(read.File.Profile, Is.Null);
        });
    }
}
