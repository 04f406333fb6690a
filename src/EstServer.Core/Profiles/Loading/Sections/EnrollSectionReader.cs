using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Profiles.Loading.Yaml;
using EstServer.Core.Trust;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>enroll: the device-identity CAs whose devices may simpleenroll under the profile (RFC 7030 §3.3.2).</summary>
internal sealed class EnrollSectionReader : IProfileSectionReader
{
    public IReadOnlyList<string> Fields { get; } = ["enroll"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (!file.Require("enroll", "enroll.trustAnchors", "missing required field 'enroll' with the trustAnchors that may simpleenroll under this profile")
            || file.Map("enroll", "enroll", "trustAnchors") is not { } enroll)
        {
            return profile;
        }

        List<(string Value, LocatedNode Node)> entries = enroll.Strings("trustAnchors");
        if (entries.Count == 0)
        {
            context.Report(enroll.Find("trustAnchors") ?? enroll.Node, "enroll.trustAnchors", "at least one trust anchor (a PEM file of a device-identity CA) is required");
            return profile;
        }

        var certificates = new List<X509Certificate2>();
        var files = new List<string>();
        string directory = Path.GetDirectoryName(Path.GetFullPath(context.File)) ?? ".";
        foreach ((string entry, LocatedNode node) in entries)
        {
            (TrustAnchors? anchors, string? problem) = context.Load.ResolveTrustAnchors(entry, directory);
            if (anchors is null)
            {
                context.Report(node, "enroll.trustAnchors", problem ?? $"cannot read trust anchor '{entry}'");
                continue;
            }

            certificates.AddRange(anchors.Roots);
            certificates.AddRange(anchors.Intermediates);
            files.AddRange(anchors.Files);
        }

        // Entries may hold intermediates (e.g. a factory line's CA next to the maker's root): what
        // matters is that together they include a self-signed root to end each path at.
        var combined = new TrustAnchors(string.Join(", ", entries.Select(e => e.Value)), certificates) { Files = files };
        if (certificates.Count > 0 && combined.Roots.Count == 0)
        {
            context.Report(enroll["trustAnchors"], "enroll.trustAnchors", "the trust anchors hold no self-signed root certificate to end device identity paths at");
        }

        return profile with { DeviceIdentityAnchors = combined };
    }
}
