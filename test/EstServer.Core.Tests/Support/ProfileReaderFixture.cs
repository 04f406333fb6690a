namespace EstServer.Core.Tests.Support;

/// <summary>
/// The setting every profile-reader test shares: one <see cref="ProfileKit"/> per fixture, with an
/// issuing CA that lives long enough (1000 days) for the minimal profile's validity.
/// </summary>
public abstract class ProfileReaderFixture
{
    private ProfileKit? _kit;

    internal ProfileKit Kit => _kit ?? throw new InvalidOperationException("the kit is made in OneTimeSetUp");

    [OneTimeSetUp]
    public void CreateKit() => _kit = new ProfileKit(issuingCaLifetime: TimeSpan.FromDays(1000));

    [OneTimeTearDown]
    public void DisposeKit() => _kit?.Dispose();
}
