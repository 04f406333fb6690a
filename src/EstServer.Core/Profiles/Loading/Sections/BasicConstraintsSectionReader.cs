using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>basicConstraintsCritical: whether the end-entity's basicConstraints (cA FALSE, RFC 5280 §4.2.1.9) is marked critical.</summary>
internal sealed class BasicConstraintsSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["basicConstraintsCritical"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context) =>
        file.Bool("basicConstraintsCritical") is { } critical ? profile with { BasicConstraintsCritical = critical } : profile;
}
