namespace EstServer.Core.Profiles;

/// <summary>The profile set in force now. A request takes one snapshot and uses it throughout.</summary>
public interface IProfileCatalogProvider
{
    ProfileCatalog Current { get; }
}
