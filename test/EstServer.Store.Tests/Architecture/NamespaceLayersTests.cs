using EstServer.TestSupport;

namespace EstServer.Store.Tests.Architecture;

/// <summary>
/// The Store's folders are layers: the root (the factory, settings and seeder the host and benchmarks
/// call) over the two engines, over the store logic they share, over the migrations. Each namespace
/// uses only those after it, so an engine never reaches into the other or back up to the factory.
/// </summary>
[TestFixture]
public sealed class NamespaceLayersTests
{
    private const string Root = "EstServer.Store";

    /// <summary>"" is the root namespace itself: first, so it may use every layer and no layer may use it.</summary>
    private static readonly string[] Order = ["", "Sqlite", "Postgres", "Sql", "Migrations"];

    private static readonly string SourceDirectory = Path.Combine(RepositoryPaths.Root, "src", "EstServer.Store");

    [Test]
    public void Violations_StoreSources_NoneUsesALayerToItsLeft()
    {
        IReadOnlyList<string> violations = NamespaceLayers.For(typeof(CertificateStores).Assembly, Root, Order).ViolationsIn(SourceDirectory);

        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public void TypesOf_StoreAssembly_EveryTypeIsInALayerOfTheOrder()
    {
        IEnumerable<string> unplaced = NamespaceLayers.TypesOf(typeof(CertificateStores).Assembly, Root)
            .Where(type => !Order.Contains(type.Layer))
            .Select(type => $"{type.Name} ({type.Layer})");

        Assert.That(unplaced, Is.Empty);
    }

    [Test]
    public void TypesOf_StoreAssembly_TypeNamesAreUnique()
    {
        // The checker knows a type by its simple name; two types of one name would make that ambiguous.
        IEnumerable<string> duplicates = NamespaceLayers.TypesOf(typeof(CertificateStores).Assembly, Root)
            .GroupBy(type => type.Name)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);

        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void SourceFiles_StoreProject_AreFound()
    {
        // An empty scan would pass the layer check for nothing.
        Assert.That(NamespaceLayers.SourceFiles(SourceDirectory), Has.Count.GreaterThan(25));
    }

    [Test]
    public void Violations_EngineUsesTheRootOrTheOtherEngine_IsReported()
    {
        var layers = new NamespaceLayers(Root, Order, new Dictionary<string, string> { ["StoreSettings"] = "", ["PostgresDatabase"] = "Postgres" });

        IEnumerable<string> violations = layers.Violations(
            "Sql/X.cs", "namespace EstServer.Store.Sql;\n// StoreSettings\nclass X { StoreSettings? s; PostgresDatabase? p; }");

        Assert.That(violations, Is.EqualTo(new[] { "Sql/X.cs: Sql uses the root namespace (StoreSettings)", "Sql/X.cs: Sql uses Postgres (PostgresDatabase)" }));
    }
}
