using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>validity and backdate: the certificate's notBefore and notAfter.</summary>
internal sealed class ValiditySectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["validity", "backdate"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (file.RequiredDuration("validity") is { } validity)
        {
            if (validity <= TimeSpan.Zero)
            {
                context.Report(file["validity"], "validity", "validity must be longer than zero");
            }
            else if (context.Load.IssuingCaLifetime is { } caLifetime && validity > caLifetime)
            {
                context.Report(file["validity"], "validity", $"validity {file.String("validity")} is longer than the issuing CA's own validity ({caLifetime.TotalDays:0} days)");
            }

            profile = profile with { Validity = validity };
        }

        if (file.Duration("backdate") is { } backdate)
        {
            if (backdate > TimeSpan.FromDays(1))
            {
                context.Report(file["backdate"], "backdate", "backdate must be at most 1d");
            }

            profile = profile with { Backdate = backdate };
        }

        return profile;
    }
}
