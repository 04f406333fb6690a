namespace EstServer.Core.Revocation;

/// <summary>How long the OCSP responder trusts what it read from the store, and what it tells clients.</summary>
public sealed record OcspResponderOptions
{
    /// <summary>The longest any revocation may take to show in every host's OCSP answers.</summary>
    public static readonly TimeSpan MaxStatusCacheDuration = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one store read of a serial's status answers OCSP for it: a burst of checks for one
    /// certificate costs one query. At most <see cref="MaxStatusCacheDuration"/>; zero reads every time.
    /// </summary>
    public TimeSpan StatusCacheDuration
    {
        get;
        init => field = value >= TimeSpan.Zero && value <= MaxStatusCacheDuration
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StatusCacheDuration), value, $"the OCSP status cache duration must be 0 to {MaxStatusCacheDuration.TotalSeconds:0} s, so a revocation shows within that");
    } = TimeSpan.FromSeconds(1);

    /// <summary>nextUpdate − thisUpdate of each SingleResponse (RFC 6960 §2.4): how long a client may rely on an answer.</summary>
    public TimeSpan ResponseValidity
    {
        get;
        init => field = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromDays(7)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ResponseValidity), value, "an OCSP response must be valid for a second to a week");
    } = TimeSpan.FromHours(1);

    /// <summary>The most serials whose status is cached at once; past it the cache starts over, so it cannot grow without limit.</summary>
    public int MaxCachedStatuses
    {
        get;
        init => field = value is > 0 and <= 10_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxCachedStatuses), value, "the OCSP status cache holds 1 to 10,000,000 serials");
    } = 100_000;
}
