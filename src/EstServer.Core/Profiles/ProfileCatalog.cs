namespace EstServer.Core.Profiles;

/// <summary>
/// An immutable snapshot of all profiles, with the route each serves: EST labels (RFC 7030 §3.2.2) and
/// the unlabelled route. A request takes one snapshot and uses it throughout.
/// </summary>
public sealed class ProfileCatalog
{
    private readonly Dictionary<string, CertificateProfile> _byLabel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CertificateProfile> _byName = new(StringComparer.Ordinal);

    /// <param name="profiles">Profiles with distinct names and labels, at most one serving the unlabelled route (the loader checks).</param>
    public ProfileCatalog(IReadOnlyList<CertificateProfile> profiles)
    {
        Profiles = profiles;
        foreach (CertificateProfile profile in profiles)
        {
            _byName.Add(profile.Name, profile);
            foreach (string label in profile.Labels)
            {
                _byLabel.Add(label, profile);
            }

            if (profile.ServesUnlabelled)
            {
                Unlabelled = Unlabelled is null ? profile : throw new ArgumentException("two profiles serve the unlabelled route", nameof(profiles));
            }
        }
    }

    public IReadOnlyList<CertificateProfile> Profiles { get; }

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
}
