using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>subjectAltName: which names (RFC 5280 §4.2.1.6) a CSR may ask for, by type; none unless listed.</summary>
internal sealed class SubjectAltNameSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["subjectAltName"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Has("subjectAltName"))
        {
            return profile;
        }

        var rules = new List<SubjectAltNameRule>();
        foreach (YamlMap entry in file.Entries("subjectAltName", "subjectAltName entry", "type", "pattern", "min", "max"))
        {
            if (Rule(entry, rules, context) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return profile with { SubjectAltNameRules = rules };
    }

    private static SubjectAltNameRule? Rule(YamlMap entry, List<SubjectAltNameRule> earlier, SectionContext context)
    {
        if (entry.RequiredString("type") is not { } type)
        {
            return null;
        }

        if (!ProfileVocabulary.SubjectAltNameTypes.TryGetValue(type, out SubjectAltNameType kind))
        {
            context.Report(entry["type"], "subjectAltName.type", $"unknown subjectAltName type '{type}' (known: dns, ip, email, uri)");
            return null;
        }

        if (earlier.Any(r => r.Type == kind))
        {
            context.Report(entry["type"], "subjectAltName.type", $"subjectAltName type {type} is listed twice");
        }

        var rule = new SubjectAltNameRule { Type = kind };
        if (entry.Int("min") is { } min)
        {
            rule = rule with { Min = min };
        }

        if (entry.Int("max") is { } max)
        {
            rule = rule with { Max = max };
        }

        if (rule.Min < 0 || rule.Max < rule.Min || rule.Max > 100)
        {
            context.Report(entry.Node, "subjectAltName", $"{type}: need 0 <= min <= max <= 100");
        }

        return entry.Pattern("subjectAltName.pattern") is { } pattern ? rule with { Pattern = pattern } : rule;
    }
}
