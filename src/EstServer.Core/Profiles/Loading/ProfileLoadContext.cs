using EstServer.Core.Trust;

namespace EstServer.Core.Profiles.Loading;

/// <summary>What profile validation needs to know about the server it will run in.</summary>
public sealed record ProfileLoadContext
{
    /// <summary>
    /// Resolves one trust-anchor entry of a profile (a PEM path relative to the profile's directory, or
    /// a built-in name such as <c>dev:manufacturer</c>) to certificates, or explains why it cannot.
    /// </summary>
    public required Func<string, string, (TrustAnchors? Anchors, string? Problem)> ResolveTrustAnchors { get; init; }

    /// <summary>The issuing CA's own lifetime, which no profile validity may exceed; null when unknown (linting without a CA).</summary>
    public TimeSpan? IssuingCaLifetime { get; init; }
}
