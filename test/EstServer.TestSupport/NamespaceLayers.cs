using System.Text.RegularExpressions;

namespace EstServer.TestSupport;

/// <summary>
/// Checks that a project's namespaces form layers: each may use only the layers after it in the
/// given order. Read from the source, so a reference through a parent namespace, a using directive
/// or a fully qualified name all count. A layer is the first namespace segment below the root
/// (EstServer.Core.Profiles.Loading is in Profiles).
/// </summary>
public static partial class NamespaceLayers
{
    /// <returns>One line per file and layer it should not use, naming the types it uses there.</returns>
    public static IReadOnlyList<string> Violations(string sourceDirectory, string rootNamespace, IReadOnlyList<string> layersTopDown)
    {
        var files = Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path: Path.GetRelativePath(sourceDirectory, path), Code: StripCommentsAndStrings(File.ReadAllText(path))))
            .Select(file => (file.Path, file.Code, Layer: LayerOf(NamespaceOf(file.Code), rootNamespace)))
            .ToList();

        // A simple name declared in more than one layer is ambiguous in source and is left out.
        Dictionary<string, string> layerOfType = files
            .SelectMany(file => Declaration().Matches(file.Code).Select(match => (Type: match.Groups[1].Value, file.Layer)))
            .GroupBy(declared => declared.Type)
            .Where(group => group.Select(declared => declared.Layer).Distinct().Count() == 1)
            .ToDictionary(group => group.Key, group => group.First().Layer);

        var violations = new List<string>();
        foreach ((string path, string code, string layer) in files)
        {
            int rank = Rank(layer, layersTopDown, path);
            var used = Identifier().Matches(code).Select(match => match.Value)
                .Where(layerOfType.ContainsKey)
                .Select(type => (Type: type, Layer: layerOfType[type]))
                .Concat(Regex.Matches(code, $@"\b{Regex.Escape(rootNamespace)}\.(\w+)")
                    .Select(match => (Type: match.Value, Layer: match.Groups[1].Value)));
            foreach (var group in used.Where(use => use.Layer != layer && Rank(use.Layer, layersTopDown, path) < rank).GroupBy(use => use.Layer))
            {
                violations.Add($"{path} ({layer}) uses {group.Key}: {string.Join(", ", group.Select(use => use.Type).Distinct().Order(StringComparer.Ordinal))}");
            }
        }

        return violations;
    }

    private static int Rank(string layer, IReadOnlyList<string> layersTopDown, string path)
    {
        int rank = layersTopDown.ToList().IndexOf(layer);
        return rank >= 0 ? rank : throw new InvalidOperationException($"{path}: layer '{layer}' is not in the stated order {string.Join(" → ", layersTopDown)}");
    }

    private static string NamespaceOf(string code) =>
        FileScopedNamespace().Match(code) is { Success: true } match ? match.Groups[1].Value : "";

    private static string LayerOf(string ns, string rootNamespace)
    {
        if (ns == rootNamespace)
        {
            return "";
        }

        string below = ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal) ? ns[(rootNamespace.Length + 1)..] : ns;
        return below.Split('.')[0];
    }

    private static string StripCommentsAndStrings(string code) => CommentOrString().Replace(code, match => match.Value.StartsWith('/') ? " " : "\"\"");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:""""|[^""])*""|\$?""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\])'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?([A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
