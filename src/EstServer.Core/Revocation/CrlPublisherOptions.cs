namespace EstServer.Core.Revocation;

/// <summary>How often the CRL publisher looks for revocations and how long each CRL it signs is valid.</summary>
public sealed record CrlPublisherOptions
{
    /// <summary>How often the store's revocation revision is polled: the most a revocation waits before a CRL lists it.</summary>
    public TimeSpan CheckInterval
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(CheckInterval), value, "the CRL check interval must be positive and at most an hour");
    } = TimeSpan.FromSeconds(2);

    /// <summary>nextUpdate − thisUpdate (RFC 5280 §5.1.2.5): how long a relying party may cache a CRL.</summary>
    public TimeSpan Validity
    {
        get;
        init => field = value >= TimeSpan.FromMinutes(1) && value <= TimeSpan.FromDays(366)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Validity), value, "a CRL must be valid for a minute to a year");
    } = TimeSpan.FromHours(24);

    /// <summary>
    /// A CRL is re-signed when its nextUpdate is closer than this, even with no new revocation, so a
    /// relying party never holds an expired CRL (RFC 5280 §5.1.2.5). Must be shorter than <see cref="Validity"/>.
    /// </summary>
    public TimeSpan RefreshBefore
    {
        get;
        init => field = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RefreshBefore), value, "the CRL refresh margin must be positive");
    } = TimeSpan.FromHours(12);

    /// <summary>The checks that span two settings (init accessors see one at a time).</summary>
    public void Validate()
    {
        if (RefreshBefore >= Validity)
        {
            throw new ArgumentException($"the CRL refresh margin {RefreshBefore} must be shorter than its validity {Validity}, or every check would re-sign");
        }
    }
}
