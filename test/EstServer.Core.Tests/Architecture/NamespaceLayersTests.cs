using EstServer.Core.Authority;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Architecture;

/// <summary>
/// Core's folders are layers (the README's repository section states the order): each namespace uses
/// only those after it, so Core reads top-down from the authority to the error values.
/// </summary>
public class NamespaceLayersTests
{
    private const string Root = "EstServer.Core";

    private static readonly string[] Order = ["Authority", "Queue", "Pipeline", "Revocation", "Lifecycle", "Issuance", "Profiles", "Csr", "Trust", "Wire", "Errors"];

    private static readonly string SourceDirectory = Path.Combine(RepositoryPaths.Root, "src", "EstServer.Core");

    [Test]
    public void Violations_CoreSources_NoneUsesALayerToItsLeft()
    {
        IReadOnlyList<string> violations = NamespaceLayers.For(typeof(EstAuthority).Assembly, Root, Order).ViolationsIn(SourceDirectory);

        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public void TypesOf_CoreAssembly_EveryTypeIsInALayerOfTheOrder()
    {
        IEnumerable<string> unplaced = NamespaceLayers.TypesOf(typeof(EstAuthority).Assembly, Root)
            .Where(type => !Order.Contains(type.Layer))
            .Select(type => $"{type.Name} ({(type.Layer == "" ? "root namespace" : type.Layer)})");

        Assert.That(unplaced, Is.Empty);
    }

    [Test]
    public void TypesOf_CoreAssembly_TypeNamesAreUnique()
    {
        // The checker knows a type by its simple name; two types of one name would make that ambiguous.
        IEnumerable<string> duplicates = NamespaceLayers.TypesOf(typeof(EstAuthority).Assembly, Root)
            .GroupBy(type => type.Name)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);

        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void SourceFiles_CoreProject_AreFound()
    {
        // An empty scan would pass the layer check for nothing.
        Assert.That(NamespaceLayers.SourceFiles(SourceDirectory), Has.Count.GreaterThan(60));
    }

    [Test]
    public void Violations_LowerLayerUsesUpperOne_IsReported()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["SigningWorker"] = "Queue" });

        IEnumerable<string> violations = layers.Violations(
            "Wire/X.cs", "namespace EstServer.Core.Wire.Deep;\n// SigningWorker\nclass X { SigningWorker? w; EstServer.Core.Pipeline.Y? y; }");

        Assert.That(violations, Is.EqualTo(new[] { "Wire/X.cs: Wire uses Queue (SigningWorker)" }));
    }
}
