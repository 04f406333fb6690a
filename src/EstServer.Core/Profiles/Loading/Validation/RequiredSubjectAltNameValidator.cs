using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Validation;

/// <summary>A subjectAltName the profile requires can only come from the CSR, so csrExtensions must honour it.</summary>
internal sealed class RequiredSubjectAltNameValidator : IProfileValidator
{
    public IReadOnlyList<ProfileDiagnostic> Validate(CertificateProfile profile, YamlMap file)
    {
        if (profile.SubjectAltNameRules?.Any(rule => rule.Min > 0) == true
            && profile.CsrExtensions.ActionFor(CsrExtensionPolicy.SubjectAltNameOid) != CsrExtensionAction.Honour)
        {
            return [(file.Find("subjectAltName") ?? file.Node).Problem("subjectAltName", "a subjectAltName is required (min > 0) but csrExtensions does not honour subjectAltName, so no request could pass")];
        }

        return [];
    }
}
