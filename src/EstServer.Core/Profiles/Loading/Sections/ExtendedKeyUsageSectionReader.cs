using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>extendedKeyUsage: the key purposes (RFC 5280 §4.2.1.12), by name or dotted OID.</summary>
internal sealed class ExtendedKeyUsageSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["extendedKeyUsage"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Has("extendedKeyUsage"))
        {
            return profile;
        }

        var oids = new List<string>();
        foreach ((string name, LocatedNode node) in file.Strings("extendedKeyUsage"))
        {
            if (ProfileVocabulary.ExtendedKeyUsages.TryGetValue(name, out string? oid))
            {
                oids.Add(oid);
            }
            else if (ProfileVocabulary.IsOid(name))
            {
                oids.Add(name);
            }
            else
            {
                context.Report(node, "extendedKeyUsage", $"unknown extended key usage '{name}' (use a dotted OID or one of {string.Join(", ", ProfileVocabulary.ExtendedKeyUsages.Keys)})");
            }
        }

        return profile with { ExtendedKeyUsages = oids.Distinct(StringComparer.Ordinal).ToArray() };
    }
}
