using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EstServer.Core.Profiles.Loading.Yaml;

/// <summary>
/// One mapping of a profile file, its fields checked against the names allowed there, with typed access
/// to them. Every access that finds something it cannot use reports it at the node and returns null, so
/// readers carry on and a misspelt field or a bad value is reported where it was written.
/// </summary>
internal sealed class YamlMap
{
    /// <summary>Patterns are run on every request; a pathological one must not stall the server.</summary>
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, LocatedNode> _fields;
    private readonly ProfileProblems _problems;

    private YamlMap(LocatedNode node, Dictionary<string, LocatedNode> fields, ProfileProblems problems)
    {
        Node = node;
        _fields = fields;
        _problems = problems;
    }

    /// <summary>The mapping itself, where a missing field is reported.</summary>
    public LocatedNode Node { get; }

    public LocatedNode this[string name] => _fields[name];

    /// <summary>The mapping <paramref name="node"/> holds, or null once it is reported as not being one.</summary>
    /// <param name="what">Names the mapping in the unknown-field message (e.g. "keys", "subject entry").</param>
    public static YamlMap? Of(LocatedNode node, string rule, string what, ProfileProblems problems, IReadOnlyList<string> allowed)
    {
        if (node.Node is not YamlMappingNode mapping)
        {
            problems.Add(node, rule, "expected a mapping (key: value lines)");
            return null;
        }

        var fields = new Dictionary<string, LocatedNode>(StringComparer.Ordinal);
        foreach ((YamlNode key, YamlNode value) in mapping.Children)
        {
            string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : "";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                problems.Add(node with { Node = key }, "unknown-field", $"unknown field '{name}' in {what} (allowed: {string.Join(", ", allowed)})");
                continue;
            }

            fields[name] = node with { Node = value };
        }

        return new YamlMap(node, fields, problems);
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    public LocatedNode? Find(string name) => _fields.GetValueOrDefault(name);

    /// <summary>Whether the field is there; if not, reports <paramref name="message"/> at this mapping.</summary>
    public bool Require(string name, string rule, string message)
    {
        if (Has(name))
        {
            return true;
        }

        _problems.Add(Node, rule, message);
        return false;
    }

    /// <summary>The nested mapping in a field, or null if the field is absent or (reported) not a mapping.</summary>
    public YamlMap? Map(string name, string what, params string[] allowed) =>
        Find(name) is { } node ? Of(node, what, what, _problems, allowed) : null;

    /// <summary>The mappings listed in a field, read one at a time, so each entry's problems are reported in file order.</summary>
    public IEnumerable<YamlMap> Entries(string name, string what, params string[] allowed)
    {
        foreach (LocatedNode item in Items(name))
        {
            if (Of(item, name, what, _problems, allowed) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>The items of a list field; none if the field is absent or (reported) not a list.</summary>
    public IReadOnlyList<LocatedNode> Items(string name)
    {
        if (Find(name) is not { } node)
        {
            return [];
        }

        if (node.Node is YamlSequenceNode sequence)
        {
            return sequence.Children.Select(child => node with { Node = child }).ToArray();
        }

        _problems.Add(node, name, "expected a list");
        return [];
    }

    /// <summary>The single values of a list field, each with its node.</summary>
    public List<(string Value, LocatedNode Node)> Strings(string name)
    {
        var values = new List<(string, LocatedNode)>();
        foreach (LocatedNode item in Items(name))
        {
            if (Scalar(item, name) is { } value)
            {
                values.Add((value, item));
            }
        }

        return values;
    }

    public string? String(string name) => Find(name) is { } node ? Scalar(node, name) : null;

    public string? RequiredString(string name) => Require(name, name, $"missing required field '{name}'") ? String(name) : null;

    public bool? Bool(string name) => Parse<bool>(name, text => text is "true" or "false" ? text == "true" : null, "is not true or false");

    public int? Int(string name) =>
        Parse<int>(name, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null, "is not a whole number");

    public TimeSpan? Duration(string name) =>
        Parse<TimeSpan>(name, text => DurationText.TryParse(text, out TimeSpan duration) ? duration : null, "is not a duration (a number and a unit: s, m, h, d, w; e.g. 365d)");

    public TimeSpan? RequiredDuration(string name) =>
        Require(name, name, $"missing required field '{name}' (e.g. {name}: 365d)") ? Duration(name) : null;

    /// <summary>The entry's pattern field as a regular expression that must match a whole value.</summary>
    public Regex? Pattern(string rule)
    {
        if (String("pattern") is not { } pattern)
        {
            return null;
        }

        try
        {
            // Anchored so that a pattern always describes the whole value, never a part of it.
            return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException exception)
        {
            _problems.Add(this["pattern"], rule, $"bad regular expression: {exception.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }

    private T? Parse<T>(string name, Func<string, T?> parse, string problem)
        where T : struct
    {
        if (String(name) is not { } text)
        {
            return null;
        }

        if (parse(text) is { } value)
        {
            return value;
        }

        _problems.Add(this[name], name, $"'{text}' {problem}");
        return null;
    }

    /// <summary>
    /// A plain empty scalar is YAML's null (<c>key:</c> with nothing after it), not an empty string; a
    /// quoted empty string is a value.
    /// </summary>
    private string? Scalar(LocatedNode node, string rule)
    {
        if (node.Node is YamlScalarNode { Value: { } value } scalar && !(value.Length == 0 && scalar.Style == ScalarStyle.Plain))
        {
            return value;
        }

        _problems.Add(node, rule, "expected a single value");
        return null;
    }
}
