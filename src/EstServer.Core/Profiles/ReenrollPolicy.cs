namespace EstServer.Core.Profiles;

/// <summary>When and how a certificate this server issued may be renewed (RFC 7030 §4.2.2).</summary>
public sealed record ReenrollPolicy
{
    public static ReenrollPolicy Default { get; } = new();

    /// <summary>Re-enrollment is accepted only this close to expiry; null accepts it any time.</summary>
    public TimeSpan? RenewalWindow { get; init; }

    /// <summary>How long after expiry the certificate may still be used to re-enroll.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// RFC 7030 §4.2.2 lets policy allow a new subject on re-enrollment (cf. ChangeSubjectName, RFC 6402);
    /// the profile's subject rules still apply.
    /// </summary>
    public bool AllowSubjectChange { get; init; }
}
