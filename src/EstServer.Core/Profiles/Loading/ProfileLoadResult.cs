namespace EstServer.Core.Profiles.Loading;

/// <summary>A profile directory read as a whole: a catalog when every file is valid, else every problem found.</summary>
public sealed record ProfileLoadResult(ProfileCatalog? Catalog, IReadOnlyList<ProfileDiagnostic> Diagnostics)
{
    public bool IsValid => Catalog is not null && Diagnostics.Count == 0;
}
