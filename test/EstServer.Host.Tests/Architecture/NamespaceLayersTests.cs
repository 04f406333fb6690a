using EstServer.Host.Startup;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Architecture;

/// <summary>
/// The Host's folders are layers: each namespace uses only those after it in <see cref="Order"/>, so
/// the code reads top-down and no change to a lower layer needs to know about a higher one.
/// </summary>
[TestFixture]
public sealed class NamespaceLayersTests
{
    /// <summary>From the entry point down to the settings; each uses only those to its right.</summary>
    private static readonly string[] Order =
        [NamespaceLayers.GlobalLayer, "Cli", "Startup", "Admin", "Endpoints", "Http", "Observability", "Tls", "Pki", "DevPki", "Configuration"];

    private const string Root = "EstServer.Host";

    private static readonly string SourceDirectory = Path.Combine(RepositoryPaths.Root, "src", "EstServer.Host");

    [Test]
    public void Violations_HostSources_NoneUsesALayerToItsLeft()
    {
        IReadOnlyList<string> violations = HostLayers().ViolationsIn(SourceDirectory);

        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public void TypesOf_HostAssembly_EveryTypeIsInALayerOfTheOrder()
    {
        IEnumerable<string> unplaced = NamespaceLayers.TypesOf(typeof(EstServerApplication).Assembly, Root)
            .Where(type => !Order.Contains(type.Layer))
            .Select(type => $"{type.Name} ({(type.Layer == "" ? "root namespace" : type.Layer)})");

        Assert.That(unplaced, Is.Empty);
    }

    [Test]
    public void TypesOf_HostAssembly_TypeNamesAreUnique()
    {
        // The checker knows a type by its simple name; two types of one name would make that ambiguous.
        IEnumerable<string> duplicates = NamespaceLayers.TypesOf(typeof(EstServerApplication).Assembly, Root)
            .GroupBy(type => type.Name)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);

        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void SourceFiles_HostProject_AreFound()
    {
        // An empty scan would pass the layer check for nothing.
        Assert.That(NamespaceLayers.SourceFiles(SourceDirectory), Has.Count.GreaterThan(40));
    }

    [Test]
    public void Violations_LowerLayerNamesHigherType_IsReported()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["EstServerApplication"] = "Startup", ["EstPaths"] = "Configuration" });

        IEnumerable<string> violations = layers.Violations("Pki/X.cs", "namespace EstServer.Host.Pki;\nclass X { string Y => EstPaths.DataDirectory + EstServerApplication.DefaultUrl; }");

        Assert.That(violations, Is.EqualTo(new[] { "Pki/X.cs: Pki uses Startup (EstServerApplication)" }));
    }

    [Test]
    public void Violations_UsingDirectiveOfHigherLayer_IsReported()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string>());

        IEnumerable<string> violations = layers.Violations("Http/X.cs", "using EstServer.Host.Endpoints;\nusing EstServer.Host.Tls;\nnamespace EstServer.Host.Http;\nclass X;");

        Assert.That(violations, Is.EqualTo(new[] { "Http/X.cs: Http uses Endpoints (using EstServer.Host.Endpoints)" }));
    }

    [Test]
    public void Violations_RootNamespaceType_IsReported()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["Odd"] = "" });

        IEnumerable<string> violations = layers.Violations("Tls/X.cs", "namespace EstServer.Host.Tls;\nclass X { Odd? y; }");

        Assert.That(violations, Is.EqualTo(new[] { "Tls/X.cs: Tls uses the root namespace (Odd)" }));
    }

    [Test]
    public void Violations_FileInRootNamespace_IsReported()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string>());

        IEnumerable<string> violations = layers.Violations("X.cs", "namespace EstServer.Host;\nclass X;");

        Assert.That(violations, Is.EqualTo(new[] { "X.cs: its namespace is in no layer of the order" }));
    }

    [Test]
    public void Violations_TypeNamedInCommentOrText_IsNotAUse()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["EstEndpoints"] = "Endpoints" });

        IEnumerable<string> violations = layers.Violations(
            "Http/X.cs",
            "namespace EstServer.Host.Http;\n// EstEndpoints\n/* EstEndpoints */ class X { string A = \"EstEndpoints\\\" EstEndpoints\"; string B = @\"EstEndpoints\"\"\"; char C = '\"'; string D = $\"EstEndpoints {{EstEndpoints}}\"; }");

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Violations_TypeNamedInRawString_IsNotAUse()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["EstEndpoints"] = "Endpoints" });

        IEnumerable<string> violations = layers.Violations("Http/X.cs", "namespace EstServer.Host.Http;\nclass X { string A = \"\"\"\n  \"EstEndpoints\"\n  \"\"\"; }");

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Violations_TypeInInterpolationHole_IsAUse()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["EstEndpoints"] = "Endpoints" });

        IEnumerable<string> violations = layers.Violations("Http/X.cs", "namespace EstServer.Host.Http;\nclass X { string A = $\"at {EstEndpoints.Root + \"}\"}\"; }");

        Assert.That(violations, Is.EqualTo(new[] { "Http/X.cs: Http uses Endpoints (EstEndpoints)" }));
    }

    private static NamespaceLayers HostLayers() => NamespaceLayers.For(typeof(EstServerApplication).Assembly, Root, Order);
}
