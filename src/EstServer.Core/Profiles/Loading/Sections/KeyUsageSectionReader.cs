using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>keyUsage: the keyUsage extension (RFC 5280 §4.2.1.3) of an end-entity certificate.</summary>
internal sealed class KeyUsageSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["keyUsage"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Require("keyUsage", "keyUsage", "missing required field 'keyUsage' (e.g. [digitalSignature])"))
        {
            return profile;
        }

        int bits = 0;
        List<(string Value, LocatedNode Node)> names = file.Strings("keyUsage");
        foreach ((string name, LocatedNode node) in names)
        {
            if (ProfileVocabulary.KeyUsages.TryGetValue(name, out int bit))
            {
                bits |= bit;
            }
            else
            {
                context.Report(node, "keyUsage", name is "keyCertSign" or "cRLSign"
                    ? $"'{name}' is for CA certificates; profiles issue end-entity certificates only"
                    : $"unknown key usage '{name}' (known: {string.Join(", ", ProfileVocabulary.KeyUsages.Keys)})");
            }
        }

        if (names.Count == 0)
        {
            context.Report(file["keyUsage"], "keyUsage", "at least one key usage is required");
        }

        return profile with { KeyUsage = bits };
    }
}
