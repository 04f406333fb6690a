namespace EstServer.Core.Lifecycle;

/// <summary>What a revocation came to. Revoking twice is idempotent: the first time and reason are kept.</summary>
public abstract record RevokeResult
{
    private RevokeResult()
    {
    }

    public sealed record NotFound : RevokeResult;

    /// <summary><paramref name="Record"/> carries the revocation in force; <paramref name="WasAlreadyRevoked"/> says it predates this call.</summary>
    public sealed record Revoked(CertificateRecord Record, bool WasAlreadyRevoked) : RevokeResult;
}
