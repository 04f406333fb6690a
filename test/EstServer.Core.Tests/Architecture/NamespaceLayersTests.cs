using EstServer.TestSupport;

namespace EstServer.Core.Tests.Architecture;

public class NamespaceLayersTests
{
    /// <summary>The README's repository section states this order; each layer uses only those after it.</summary>
    private static readonly string[] CoreLayers = ["Authority", "Queue", "Pipeline", "Issuance", "Profiles", "Csr", "Trust", "Wire", "Errors"];

    [Test]
    public void Violations_CoreSource_EachNamespaceUsesOnlyLayersBelowIt()
    {
        IReadOnlyList<string> violations = NamespaceLayers.Violations(
            Path.Combine(RepositoryPaths.Root, "src", "EstServer.Core"), "EstServer.Core", CoreLayers);

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Violations_LowerLayerUsingUpperOne_Reported()
    {
        using var source = new TempDirectory();
        Directory.CreateDirectory(source.Combine("Wire"));
        Directory.CreateDirectory(source.Combine("Queue"));
        source.Write("Queue/Job.cs", "namespace Demo.Queue;\n\npublic sealed class Job(Frame frame);\n");
        source.Write("Wire/Frame.cs", "namespace Demo.Wire;\n\n// Job in a comment does not count, nor \"Job\" in a string.\npublic sealed class Frame(Demo.Queue.Job job) { string s = \"Job\"; }\n");

        IReadOnlyList<string> violations = NamespaceLayers.Violations(source.Path, "Demo", ["Queue", "Wire"]);

        Assert.That(violations, Is.EqualTo(new[] { $"Wire{Path.DirectorySeparatorChar}Frame.cs (Wire) uses Queue: Demo.Queue, Job" }));
    }
}
