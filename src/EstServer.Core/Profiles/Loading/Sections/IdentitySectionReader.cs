using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>name, description, labels and default: what the profile is called and which EST routes it serves.</summary>
internal sealed class IdentitySectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["name", "description", "labels", "default"];

    public ProfileIdentity Read(YamlMap file, SectionContext context)
    {
        string? name = file.RequiredString("name");
        if (name is not null && !ProfileVocabulary.IsLabel(name))
        {
            context.Report(file["name"], "name", $"profile name '{name}' must be 1-64 letters, digits, '.', '_' or '-'");
        }

        var labels = new List<(string, int, int)>();
        foreach ((string label, LocatedNode node) in file.Strings("labels"))
        {
            // RFC 7030 §3.2.2: the label is one path segment after /.well-known/est/, before the operation.
            if (!ProfileVocabulary.IsLabel(label))
            {
                context.Report(node, "labels", $"label '{label}' must be one URL path segment of letters, digits, '.', '_' or '-'");
            }
            else if (ProfileVocabulary.Operations.Contains(label))
            {
                context.Report(node, "labels", $"label '{label}' is an EST operation name");
            }
            else
            {
                labels.Add((label, node.Line, node.Column));
            }
        }

        (int, int)? defaultAt = file.Bool("default") == true ? (file["default"].Line, file["default"].Column) : null;
        (int, int) nameAt = file.Find("name") is { } nameNode ? (nameNode.Line, nameNode.Column) : (1, 1);
        return new ProfileIdentity(name, nameAt, file.String("description"), labels, defaultAt);
    }
}
