using System.Security.Cryptography;
using System.Text;
using EstServer.Core.Profiles.Loading.Sections;
using EstServer.Core.Profiles.Loading.Validation;
using EstServer.Core.Profiles.Loading.Yaml;
using EstServer.Core.Trust;

namespace EstServer.Core.Profiles.Loading;

/// <summary>
/// Reads one profile file: its YAML node tree, then each section by its own reader, then the rules
/// across sections. Every problem is reported with the line and column where it was written, and
/// reading carries on after each, so one run reports them all; a file with any problem yields no profile.
/// </summary>
internal static class ProfileYamlReader
{
    private static readonly IdentitySectionReader Identity = new();

    /// <summary>In the order their problems are reported.</summary>
    private static readonly IProfileSectionReader[] Sections =
    [
        new PoliciesSectionReader(),
        new ValiditySectionReader(),
        new SerialNumberSectionReader(),
        new KeyUsageSectionReader(),
        new ExtendedKeyUsageSectionReader(),
        new BasicConstraintsSectionReader(),
        new KeysSectionReader(),
        new SubjectSectionReader(),
        new SubjectAltNameSectionReader(),
        new CsrExtensionsSectionReader(),
        new EnrollSectionReader(),
        new ReenrollSectionReader(),
    ];

    private static readonly IProfileValidator[] Validators = [new KeyUsageForKeysValidator(), new RequiredSubjectAltNameValidator()];

    private static readonly string[] TopLevelFields = [.. Identity.Fields, .. Sections.SelectMany(section => section.Fields)];

    public static ProfileFile Read(string file, string text, ProfileLoadContext context, List<ProfileDiagnostic> diagnostics)
    {
        var problems = new ProfileProblems(diagnostics);
        if (ProfileYamlDocument.Parse(file, text, problems) is not { } root
            || YamlMap.Of(root, "yaml", "profile", problems, TopLevelFields) is not { } fields)
        {
            return new ProfileFile(null, file, null, (1, 1), [], null);
        }

        int before = problems.Count;
        var sectionContext = new SectionContext(file, context, problems);
        ProfileIdentity identity = Identity.Read(fields, sectionContext);
        CertificateProfile profile = identity.ApplyTo(Unread(file, text));
        foreach (IProfileSectionReader section in Sections)
        {
            profile = section.Read(profile, fields, sectionContext);
        }

        foreach (IProfileValidator validator in Validators)
        {
            problems.AddRange(validator.Validate(profile, fields));
        }

        return new ProfileFile(problems.Count == before ? profile : null, file, identity.Name, identity.NameAt, identity.Labels, identity.DefaultAt);
    }

    /// <summary>
    /// Where reading starts: the model's defaults for every field a file may leave out, and placeholders
    /// for those it must set. A placeholder is replaced by its section or reported missing, and a profile
    /// read with any problem is never returned, so none is ever used.
    /// </summary>
    private static CertificateProfile Unread(string file, string text) => new()
    {
        Name = "",
        Policies = [],
        Validity = TimeSpan.Zero,
        Keys = new KeyPolicy(),
        KeyUsage = 0,
        SubjectRules = [],
        DeviceIdentityAnchors = new TrustAnchors("none", []),
        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12],
        SourceFile = file,
    };
}
