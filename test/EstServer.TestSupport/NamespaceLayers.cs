using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace EstServer.TestSupport;

/// <summary>
/// Finds where a project's source file uses a namespace to its left in a layer order. A use is a
/// using directive or any identifier naming one of the project's types; source is read rather than IL
/// because constants (EstEndpoints.Root, the request items) and nameof leave no trace in the compiled
/// assembly. A layer is the first namespace segment below the root (Profiles.Loading is Profiles).
/// </summary>
public sealed partial class NamespaceLayers(string rootNamespace, IReadOnlyList<string> order, IReadOnlyDictionary<string, string> typeLayers)
{
    /// <summary>The layer of code outside any namespace.</summary>
    public const string GlobalLayer = "Program";

    /// <summary>The layers of an assembly's own types, read from the assembly.</summary>
    public static NamespaceLayers For(Assembly assembly, string rootNamespace, IReadOnlyList<string> order) =>
        new(rootNamespace, order, TypesOf(assembly, rootNamespace).ToDictionary(type => type.Name, type => type.Layer, StringComparer.Ordinal));

    /// <summary>The top-level types an assembly declares in the root's namespaces, by simple name, with the layer of each.</summary>
    public static IReadOnlyList<(string Name, string Layer)> TypesOf(Assembly assembly, string rootNamespace) =>
        assembly.GetTypes()
            .Where(type => !type.IsNested && !type.Name.StartsWith('<') && (type.Namespace is null || LayerOf(type.Namespace, rootNamespace) != "" || type.Namespace == rootNamespace))
            .Select(type => (Name: type.Name.Split('`')[0], Layer: LayerOf(type.Namespace, rootNamespace)))
            .Distinct()
            .ToList();

    /// <summary>Root.X and Root.X.Y are layer X; no namespace is <see cref="GlobalLayer"/>; anything else, the root included, is no layer ("").</summary>
    public static string LayerOf(string? @namespace, string rootNamespace) =>
        string.IsNullOrEmpty(@namespace) ? GlobalLayer
        : @namespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal) ? @namespace[(rootNamespace.Length + 1)..].Split('.')[0]
        : "";

    /// <summary>The project's C# files below <paramref name="sourceDirectory"/>, bin and obj left out.</summary>
    public static IReadOnlyList<string> SourceFiles(string sourceDirectory) =>
        Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(sourceDirectory, file).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every violation in the project's source files.</summary>
    public IReadOnlyList<string> ViolationsIn(string sourceDirectory) =>
        SourceFiles(sourceDirectory)
            .SelectMany(file => Violations(Path.GetRelativePath(sourceDirectory, file), File.ReadAllText(file)))
            .ToList();

    /// <summary>Each use of a layer left of the file's own (or of no layer), as "file: Layer uses Layer (what)".</summary>
    public IEnumerable<string> Violations(string file, string source)
    {
        string code = CodeOnly(source);
        string layer = LayerOf(FileNamespace().Match(code) is { Success: true } match ? match.Groups["name"].Value : null, rootNamespace);
        int position = Position(layer);
        if (position < 0)
        {
            yield return $"{file}: its namespace is in no layer of the order";
            yield break;
        }

        var uses = new SortedSet<(string Layer, string What)>();
        foreach (Match directive in UsingDirective().Matches(code))
        {
            string name = directive.Groups["name"].Value;
            if (name == rootNamespace || name.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            {
                uses.Add((LayerOf(name, rootNamespace), "using " + name));
            }
        }

        foreach (Match identifier in Identifier().Matches(code))
        {
            if (typeLayers.TryGetValue(identifier.Value, out string? used))
            {
                uses.Add((used, identifier.Value));
            }
        }

        foreach ((string used, string what) in uses)
        {
            if (Position(used) < position)
            {
                yield return $"{file}: {layer} uses {(used == "" ? "the root namespace" : used)} ({what})";
            }
        }
    }

    private int Position(string layer)
    {
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i] == layer)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The source with comments and the text of literals blanked, so a type named in prose or in a
    /// message is not a use of it; the holes of interpolated strings are code and are kept.
    /// </summary>
    public static string CodeOnly(string source)
    {
        var code = new StringBuilder(source.Length);
        int i = 0;
        Code(source, ref i, code, inHole: false);
        return code.ToString();
    }

    /// <summary>Copies code up to the end, or in a hole up to its closing brace (left at <paramref name="i"/>).</summary>
    private static void Code(string source, ref int i, StringBuilder code, bool inHole)
    {
        int depth = 0;
        while (i < source.Length)
        {
            char c = source[i];
            string ahead = source.Substring(i, Math.Min(3, source.Length - i));
            if (ahead.StartsWith("//", StringComparison.Ordinal))
            {
                i = source.IndexOf('\n', i) is var end and >= 0 ? end : source.Length;
            }
            else if (ahead.StartsWith("/*", StringComparison.Ordinal))
            {
                i = source.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : source.Length;
                code.Append(' ');
            }
            else if (ahead == "\"\"\"")
            {
                // A raw string literal (none is interpolated in src/): its text runs to the next three quotes.
                i = source.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal) is var end and >= 0 ? end + 3 : source.Length;
                code.Append("\"\"");
            }
            else if (ahead.StartsWith("$@\"", StringComparison.Ordinal) || ahead.StartsWith("@$\"", StringComparison.Ordinal))
            {
                i += 3;
                Literal(source, ref i, code, '"', verbatim: true, interpolated: true);
            }
            else if (ahead.StartsWith("$\"", StringComparison.Ordinal) || ahead.StartsWith("@\"", StringComparison.Ordinal))
            {
                i += 2;
                Literal(source, ref i, code, '"', verbatim: c == '@', interpolated: c == '$');
            }
            else if (c is '"' or '\'')
            {
                i++;
                Literal(source, ref i, code, c, verbatim: false, interpolated: false);
            }
            else if (inHole && c == '}' && depth == 0)
            {
                return;
            }
            else
            {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                code.Append(c);
                i++;
            }
        }
    }

    /// <summary>Skips a literal's text, starting after its opening quote and ending after its closing one.</summary>
    private static void Literal(string source, ref int i, StringBuilder code, char quote, bool verbatim, bool interpolated)
    {
        code.Append(quote);
        while (i < source.Length)
        {
            char c = source[i];
            char next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (!verbatim && c == '\\')
            {
                i += 2;
            }
            else if (c == quote && verbatim && next == quote)
            {
                i += 2;
            }
            else if (c == quote)
            {
                i++;
                break;
            }
            else if (interpolated && c == '{' && next == '{')
            {
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                i++;
                code.Append(' ');
                Code(source, ref i, code, inHole: true);
                code.Append(' ');
                i++;
            }
            else
            {
                i++;
            }
        }

        code.Append(quote);
    }

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}
