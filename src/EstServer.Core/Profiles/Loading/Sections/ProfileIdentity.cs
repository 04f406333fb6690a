namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>A profile's name and routes, with where they were written, for the checks across files.</summary>
internal sealed record ProfileIdentity(
    string? Name,
    (int Line, int Column) NameAt,
    string? Description,
    IReadOnlyList<(string Label, int Line, int Column)> Labels,
    (int Line, int Column)? DefaultAt)
{
    public CertificateProfile ApplyTo(CertificateProfile profile)
    {
        profile = profile with { Labels = Labels.Select(label => label.Label).ToArray(), ServesUnlabelled = DefaultAt is not null };
        profile = Name is null ? profile : profile with { Name = Name };
        return Description is null ? profile : profile with { Description = Description };
    }
}
