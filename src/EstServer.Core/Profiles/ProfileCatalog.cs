namespace EstServer.Core.Profiles;

/// <summary>Maps EST labels (RFC 7030 §3.2.2) to the profile that serves them; no label means the default route.</summary>
public sealed class ProfileCatalog
{
    private readonly Dictionary<string, CertificateProfile> _byLabel;
    private readonly Dictionary<string, CertificateProfile> _byName;

    public ProfileCatalog(CertificateProfile? unlabelled, IReadOnlyDictionary<string, CertificateProfile> byLabel)
    {
        Unlabelled = unlabelled;
        _byLabel = new Dictionary<string, CertificateProfile>(byLabel, StringComparer.Ordinal);
        _byName = new Dictionary<string, CertificateProfile>(StringComparer.Ordinal);
        foreach (CertificateProfile profile in byLabel.Values.Append(unlabelled).OfType<CertificateProfile>())
        {
            _byName[profile.Name] = profile;
        }
    }

    public CertificateProfile? Unlabelled { get; }

    public IEnumerable<string> Labels => _byLabel.Keys;

    public bool TryResolve(string? label, out CertificateProfile profile)
    {
        if (label is null)
        {
            profile = Unlabelled!;
            return Unlabelled is not null;
        }

        return _byLabel.TryGetValue(label, out profile!);
    }

    public bool TryGetByName(string name, out CertificateProfile profile) => _byName.TryGetValue(name, out profile!);

    /// <summary>The foundation's routing: every configured label, and the unlabelled route, use one profile.</summary>
    public static ProfileCatalog SingleProfile(CertificateProfile profile, IEnumerable<string> labels) =>
        new(profile, labels.ToDictionary(label => label, _ => profile, StringComparer.Ordinal));
}
