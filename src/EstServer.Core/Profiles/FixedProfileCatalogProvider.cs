namespace EstServer.Core.Profiles;

/// <summary>A profile set that never changes.</summary>
public sealed class FixedProfileCatalogProvider(ProfileCatalog catalog) : IProfileCatalogProvider
{
    public ProfileCatalog Current { get; } = catalog;
}
