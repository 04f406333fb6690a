using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>csrExtensions: what happens to each extension a CSR requests (honour, ignore or reject).</summary>
internal sealed class CsrExtensionsSectionReader : IProfileSectionReader
{
    private static readonly (string List, CsrExtensionAction Action)[] Lists =
        [("honour", CsrExtensionAction.Honour), ("ignore", CsrExtensionAction.Ignore), ("reject", CsrExtensionAction.Reject)];

    public IReadOnlyList<string> Fields { get; } = ["csrExtensions"];

    public CertificateProfile Read(CertificateProfile profile, YamlMap file, SectionContext context)
    {
        if (file.Map("csrExtensions", "csrExtensions", "honour", "ignore", "reject", "default") is not { } lists)
        {
            return profile;
        }

        var actions = new Dictionary<string, CsrExtensionAction>(StringComparer.Ordinal);
        foreach ((string list, CsrExtensionAction action) in Lists)
        {
            foreach ((string name, LocatedNode node) in lists.Strings(list))
            {
                string? oid = ProfileVocabulary.Extensions.TryGetValue(name, out string? known) ? known : ProfileVocabulary.IsOid(name) ? name : null;
                if (oid is null)
                {
                    context.Report(node, "csrExtensions", $"unknown extension '{name}' (use a dotted OID or one of {string.Join(", ", ProfileVocabulary.Extensions.Keys)})");
                }
                else if (action == CsrExtensionAction.Honour && CsrExtensionPolicy.ProfileOwned.Contains(oid))
                {
                    context.Report(node, "csrExtensions", $"'{name}' is set by the profile itself and cannot be honoured from a CSR; list it under ignore or reject");
                }
                else if (!actions.TryAdd(oid, action))
                {
                    context.Report(node, "csrExtensions", $"'{name}' is listed under more than one of honour, ignore, reject");
                }
            }
        }

        var policy = new CsrExtensionPolicy { Actions = actions };
        switch (lists.String("default"))
        {
            case null:
                break;
            case "reject":
                policy = policy with { Default = CsrExtensionAction.Reject };
                break;
            case "ignore":
                policy = policy with { Default = CsrExtensionAction.Ignore };
                break;
            default:
                context.Report(lists["default"], "csrExtensions.default", "default is reject or ignore (copying unknown extensions blindly is never safe)");
                break;
        }

        return profile with { CsrExtensions = policy };
    }
}
