using EstServer.EndToEnd.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Startup;

/// <summary>A word that is neither a command nor a setting is a mistake: the usage and exit code 2, never a server started.</summary>
[TestFixture]
public sealed class UnknownCommandTests
{
    [TestCase("frobnicate")]
    [TestCase("sever")]
    public async Task Main_UnknownCommand_PrintsUsageAndExitsTwo(string command)
    {
        using var work = new TempDirectory("unknown-command");
        using var config = new TempDirectory("empty-config");

        CommandResult run = await CommandRunner.EstServerAsync(work.Path, config.Path, [command, "--urls", "https://127.0.0.1:0"], TimeSpan.FromSeconds(60));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.StandardError, Does.StartWith($"estserver: unknown command '{command}'\nusage: estserver [serve]"), run.ToString());
            Assert.That(run.StandardOutput, Is.Empty, "nothing started");
            Assert.That(Directory.Exists(work.Combine("data")), Is.False, "no development PKI was created");
        }
    }
}
