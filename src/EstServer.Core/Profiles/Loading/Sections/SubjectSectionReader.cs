using System.Text.RegularExpressions;
using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>subject: the attributes the issued subject may carry, in order, and where each value comes from.</summary>
internal sealed class SubjectSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["subject"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Require("subject", "subject", "missing required field 'subject' (the attributes the issued subject may carry)"))
        {
            return profile;
        }

        var rules = new List<SubjectAttributeRule>();
        foreach (YamlMap attribute in file.Entries("subject", "subject entry", "type", "required", "pattern", "value", "from"))
        {
            if (Rule(attribute, rules, context) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return profile with { SubjectRules = rules };
    }

    private static SubjectAttributeRule? Rule(YamlMap attribute, List<SubjectAttributeRule> earlier, SectionContext context)
    {
        if (attribute.RequiredString("type") is not { } type)
        {
            return null;
        }

        if (ProfileVocabulary.SubjectAttribute(type) is not var (oid, display))
        {
            context.Report(attribute["type"], "subject.type", $"unknown subject attribute type '{type}' (use CN, O, OU, C, ST, L, serialNumber, DC, UID… or a dotted OID)");
            return null;
        }

        if (earlier.Any(r => r.Oid == oid))
        {
            context.Report(attribute["type"], "subject.type", $"subject attribute {type} is listed twice");
        }

        var rule = new SubjectAttributeRule { Oid = oid, Name = display };
        string? value = attribute.String("value");
        string? from = attribute.String("from");
        if (value is not null && from is not null)
        {
            context.Report(attribute["from"], "subject.from", "give either 'value' (fixed) or 'from', not both");
        }
        else if (value is not null)
        {
            rule = rule with { Source = SubjectValueSource.Fixed, FixedValue = value };
        }
        else if (from is "clientCertificate")
        {
            rule = rule with { Source = SubjectValueSource.ClientCertificate };
        }
        else if (from is not null and not "csr")
        {
            context.Report(attribute["from"], "subject.from", $"'from' is csr or clientCertificate, not '{from}'");
        }

        Regex? pattern = attribute.Pattern("subject.pattern");
        if (rule.Source != SubjectValueSource.Csr && (pattern is not null || attribute.Has("required")))
        {
            context.Report(attribute.Node, "subject", $"{type}: 'pattern' and 'required' apply only to values taken from the CSR");
        }

        if (pattern is not null)
        {
            rule = rule with { Pattern = pattern };
        }

        return attribute.Bool("required") is { } required ? rule with { Required = required } : rule;
    }
}
