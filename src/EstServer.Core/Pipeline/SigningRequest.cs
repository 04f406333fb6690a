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
    DateTimeOffset SubmittedAt);
