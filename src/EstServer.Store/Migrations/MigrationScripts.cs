using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace EstServer.Store.Migrations;

/// <summary>The schema scripts embedded for one engine (Migrations/&lt;engine&gt;/NNNN_name.sql), in order.</summary>
internal static partial class MigrationScripts
{
    public static IReadOnlyList<Migration> For(string engine)
    {
        Assembly assembly = typeof(MigrationScripts).Assembly;
        string prefix = $"migrations/{engine}/";
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Match match = ScriptName().Match(resource[prefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"migration script {resource} is not named NNNN_name.sql");
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        // Versions are 1, 2, 3, ...: a gap or a repeat is a packaging mistake, caught before any database sees it.
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"the {engine} migrations are not numbered 1..{migrations.Count} without gaps");
            }
        }

        return migrations.Count > 0 ? migrations : throw new InvalidOperationException($"no migrations are embedded for {engine}");
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
