namespace EstServer.Core.Profiles;

/// <summary>The profile's answer for each extension a CSR may request.</summary>
public sealed record CsrExtensionPolicy
{
    /// <summary>Extensions the profile always sets itself; a CSR asking for them is ignored, never honoured.</summary>
    public static readonly IReadOnlySet<string> ProfileOwned = new HashSet<string>(StringComparer.Ordinal)
    {
        "2.5.29.15", // keyUsage
        "2.5.29.37", // extKeyUsage
        "2.5.29.19", // basicConstraints
        "2.5.29.14", // subjectKeyIdentifier
        "2.5.29.35", // authorityKeyIdentifier
        "2.5.29.32", // certificatePolicies
    };

    public const string SubjectAltNameOid = "2.5.29.17";

    public static CsrExtensionPolicy DeviceDefault { get; } = new()
    {
        Actions = new Dictionary<string, CsrExtensionAction>(StringComparer.Ordinal)
        {
            [SubjectAltNameOid] = CsrExtensionAction.Honour,
            ["2.5.29.15"] = CsrExtensionAction.Ignore,
            ["2.5.29.37"] = CsrExtensionAction.Ignore,
            ["2.5.29.19"] = CsrExtensionAction.Ignore,
            ["2.5.29.14"] = CsrExtensionAction.Ignore,
        },
        Default = CsrExtensionAction.Reject,
    };

    /// <summary>By extension OID.</summary>
    public IReadOnlyDictionary<string, CsrExtensionAction> Actions { get; init; } = new Dictionary<string, CsrExtensionAction>(StringComparer.Ordinal);

    /// <summary>For extensions not listed.</summary>
    public CsrExtensionAction Default { get; init; } = CsrExtensionAction.Reject;

    public CsrExtensionAction ActionFor(string oid) => Actions.TryGetValue(oid, out CsrExtensionAction action) ? action : Default;
}
