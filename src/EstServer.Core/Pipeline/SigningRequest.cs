namespace EstServer.Core.Pipeline;

/// <summary>
/// A checked enrollment on its way to a signer. <see cref="Id"/> is derived from what the client sent,
/// so a client repeating the same request after a 202 (RFC 7030 §4.2.3) finds the same job. The profile
/// version is the one the host checked against; the signer enforces its own current version again.
/// </summary>
public sealed record SigningRequest(
    string Id,
    string ProfileName,
    string ProfileVersion,
    EnrollmentKind Kind,
    byte[] CsrDer,
    byte[] ClientCertificateDer,
    DateTimeOffset SubmittedAt)
{
    /// <summary>
    /// The checks this process made, when the job never left it (the in-process queue): its own signer
    /// then does not repeat them. Never serialised: a job read from Redis is only bytes, and a signer
    /// checks it again in full.
    /// </summary>
    public CheckedEnrollment? Checked { get; init; }

    /// <summary>The job for an enrollment the host has checked.</summary>
    public static SigningRequest For(CheckedEnrollment enrollment)
    {
        string profile = enrollment.Profile.Name;
        byte[] client = enrollment.Requester.Der;
        byte[] csr = enrollment.Csr.Der;
        return new SigningRequest(
            SigningRequestId.Derive(enrollment.Kind, profile, client, csr), profile, enrollment.Profile.Version, enrollment.Kind, csr, client, enrollment.CheckedAt)
        {
            Checked = enrollment,
        };
    }
}
