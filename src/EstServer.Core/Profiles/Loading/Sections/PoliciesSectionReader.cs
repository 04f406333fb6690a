using EstServer.Core.Profiles.Loading.Yaml;
using YamlDotNet.RepresentationModel;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>policies: the certificatePolicies every certificate of the profile names (RFC 5280 §4.2.1.4).</summary>
internal sealed class PoliciesSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["policies"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Require("policies", "policies", "missing required field 'policies': every certificate must name the policy it is issued under"))
        {
            return profile;
        }

        var policies = new List<CertificatePolicy>();
        foreach (YamlMap entry in file.Entries("policies", "policies entry", "oid", "cps", "notice"))
        {
            string? oid = entry.RequiredString("oid");
            if (oid is not null && !ProfileVocabulary.IsOid(oid))
            {
                context.Report(entry["oid"], "policies.oid", $"'{oid}' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)");
            }

            if (policies.Any(p => p.Oid == oid))
            {
                context.Report(entry["oid"], "policies.oid", $"policy {oid} is listed twice");
            }

            string? cps = entry.String("cps");
            if (cps is not null && !(Uri.TryCreate(cps, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"))
            {
                context.Report(entry["cps"], "policies.cps", $"cps '{cps}' must be an absolute http or https URI");
            }

            // RFC 5280 §4.2.1.4: explicitText is at most 200 characters.
            string? notice = entry.String("notice");
            if (notice is not null && notice.Length is 0 or > 200)
            {
                context.Report(entry["notice"], "policies.notice", "notice must be 1-200 characters (RFC 5280 §4.2.1.4)");
            }

            if (oid is not null)
            {
                policies.Add(new CertificatePolicy(oid, cps, notice));
            }
        }

        if (policies.Count == 0 && file["policies"].Node is YamlSequenceNode { Children.Count: 0 })
        {
            context.Report(file["policies"], "policies", "at least one policy is required");
        }

        return profile with { Policies = policies };
    }
}
