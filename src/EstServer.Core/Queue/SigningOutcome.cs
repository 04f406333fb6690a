using EstServer.Core.Errors;
using EstServer.Core.Issuance;

namespace EstServer.Core.Queue;

/// <summary>How an enrollment ended, or that it has not ended yet.</summary>
public abstract record SigningOutcome
{
    private SigningOutcome()
    {
    }

    /// <summary>Signed: the DER of the new certificate.</summary>
    public sealed record Issued(byte[] CertificateDer) : SigningOutcome;

    /// <summary>Refused by policy, or the queue could not take it.</summary>
    public sealed record Refused(EstError Error) : SigningOutcome;

    /// <summary>Accepted but not signed within the wait budget: RFC 7030 §4.2.3's 202 with Retry-After.</summary>
    public sealed record Pending(TimeSpan RetryAfter) : SigningOutcome;

    /// <summary>What a signer's run of the pipeline ends in, as stored for the waiting host.</summary>
    public static SigningOutcome From(Result<IssuedCertificate> signed) =>
        signed.IsSuccess ? new Issued(signed.Value.Der) : new Refused(signed.Error);
}
