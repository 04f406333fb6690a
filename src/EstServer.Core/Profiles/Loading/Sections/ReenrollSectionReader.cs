using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>reenroll: when and how a certificate of this profile may be renewed (RFC 7030 §4.2.2).</summary>
internal sealed class ReenrollSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["reenroll"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (file.Map("reenroll", "reenroll", "renewalWindow", "gracePeriod", "allowSubjectChange") is not { } reenroll)
        {
            return profile;
        }

        var policy = new ReenrollPolicy();
        if (reenroll.Duration("renewalWindow") is { } window)
        {
            if (window <= TimeSpan.Zero)
            {
                context.Report(reenroll["renewalWindow"], "reenroll.renewalWindow", "renewalWindow must be longer than zero (omit it to allow re-enrollment at any time)");
            }

            policy = policy with { RenewalWindow = window };
        }

        if (reenroll.Duration("gracePeriod") is { } grace)
        {
            policy = policy with { GracePeriod = grace };
        }

        if (reenroll.Bool("allowSubjectChange") is { } allowSubjectChange)
        {
            policy = policy with { AllowSubjectChange = allowSubjectChange };
        }

        return profile with { Reenroll = policy };
    }
}
