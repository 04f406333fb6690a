using System.Text.RegularExpressions;
using EstServer.Store.Migrations;

namespace EstServer.Store.Tests.Migrations;

public sealed partial class MigrationScriptsTests
{
    [TestCase("sqlite")]
    [TestCase("postgresql")]
    public void For_Engine_NumberedFromOneWithTheSchema(string engine)
    {
        IReadOnlyList<Migration> migrations = MigrationScripts.For(engine);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(migrations.Select(migration => migration.Version), Is.EqualTo(Enumerable.Range(1, migrations.Count)));
            Assert.That(migrations[0].Name, Is.EqualTo("schema"));
            Assert.That(migrations[0].Sql, Does.Contain("CREATE TABLE certificates"));
        }
    }

    [Test]
    public void For_BothEngines_SameTablesColumnsAndIndexes()
    {
        // One logical schema: the engines differ in types only, never in names, migration by migration.
        IReadOnlyList<Migration> sqlite = MigrationScripts.For("sqlite");
        IReadOnlyList<Migration> postgres = MigrationScripts.For("postgresql");

        Assert.That(postgres, Has.Count.EqualTo(sqlite.Count));
        Assert.That(postgres.Select(migration => Names(migration.Sql)), Is.EqualTo(sqlite.Select(migration => Names(migration.Sql))));
    }

    [Test]
    public void For_UnknownEngine_Throws() =>
        Assert.Throws<InvalidOperationException>(() => MigrationScripts.For("oracle"));

    /// <summary>Table, index and column names in order of appearance (the first word of each column line).</summary>
    private static string[] Names(string sql) =>
        SchemaName().Matches(sql).Select(match => match.Groups["name"].Value).ToArray();

    [GeneratedRegex(@"^(?:CREATE (?:TABLE|INDEX) (?<name>\w+)|\s{4}(?<name>[a-z_]+)\s)", RegexOptions.Multiline)]
    private static partial Regex SchemaName();
}
