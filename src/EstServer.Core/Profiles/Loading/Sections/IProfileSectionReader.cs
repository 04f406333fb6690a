using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>
/// Reads the top-level fields of a profile file that make up one section (keys, subject, reenroll…)
/// into the profile, reporting each problem where it was written and carrying on.
/// </summary>
internal interface IProfileSectionReader
{
    /// <summary>The top-level fields of this section, in the order the unknown-field message lists them.</summary>
    IReadOnlyList<string> Fields { get; }

    /// <summary>
    /// <paramref name="profile"/> with what the file says about this section. What the file leaves out
    /// keeps the model's default: a reader never restates one.
    /// </summary>
    CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context);
}
