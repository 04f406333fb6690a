using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Validation;

/// <summary>
/// A rule across sections of a profile, checked once every section is read: rules that are each valid
/// but together make a profile that could never issue. As with YARP's configuration validators, each
/// returns every problem it finds, and the load reports them together with the readers' problems.
/// </summary>
internal interface IProfileValidator
{
    /// <param name="file">The file's top-level mapping, to report a problem where its fields were written.</param>
    IReadOnlyList<ProfileDiagnostic> Validate(CertificateProfile profile, YamlMap file);
}
