using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using EstServer.Core.Profiles;
using Microsoft.Extensions.Logging;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The one enrollment pipeline (RFC 7030 §4.2). Every enrollment, wherever it runs, goes through the
/// same phases in this order, each a small type with one reason to refuse:
/// <code>
/// requester (+ standing) → decode → key checks → proof of possession → template ┊ queue ┊ duplicate key → sign → record
/// RequesterCheck StandingCheck CsrDecoder KeyChecks CsrSignatureVerifier CertificateTemplateBuilder  DuplicateKeyCheck CertificateIssuer IssuanceRecorder
/// </code>
/// The host runs <see cref="CheckAsync"/> up to the queue; <c>profiles check --csr</c> runs the same;
/// a signer runs <see cref="Sign"/>. The requester comes first, before the body is read: a client that
/// is not authenticated learns nothing about how its request would have been parsed. A signer checks a
/// job again in full (proof of possession included): nothing read from a queue is trusted because a
/// host looked at it. A job handed over inside this process carries the checks this process made, and
/// they are not repeated, so each check runs once per process per request.
/// </summary>
public sealed partial class EnrollmentPipeline(
    IProfileCatalogProvider profiles,
    RequesterCheck requester,
    KeyChecks keys,
    IssuingCa ca,
    TimeProvider time,
    ILogger<EnrollmentPipeline> logger,
    SigningPhases? signing = null)
{
    /// <summary>The host's part: requester → decode → key checks → proof of possession → template.</summary>
    public async ValueTask<Result<CheckedEnrollment>> CheckAsync(EnrollmentRequest request, CancellationToken cancellationToken)
    {
        Result<Requester> who = requester.Authenticate(request.Kind, request.Profile, request.ClientCertificate, request.HandshakeChain);
        if (!who.IsSuccess)
        {
            return who.Error;
        }

        Result<byte[]> csrDer = await request.ReadCsrAsync(cancellationToken).ConfigureAwait(false);
        return csrDer.IsSuccess ? CheckCsr(request.Kind, request.Profile, who.Value, csrDer.Value, time.GetUtcNow()) : csrDer.Error;
    }

    /// <summary>decode → key checks → proof of possession → template, for a known requester.</summary>
    public Result<CheckedEnrollment> CheckCsr(EnrollmentKind kind, CertificateProfile profile, Requester who, byte[] csrDer, DateTimeOffset now)
    {
        Result<CertificationRequest> csr = CsrDecoder.Decode(csrDer);
        if (!csr.IsSuccess)
        {
            return csr.Error;
        }

        // Key checks before the signature: they are cheap, and they keep absurd keys away from verification.
        if ((keys.Check(profile, csr.Value) ?? CsrSignatureVerifier.Verify(csr.Value)) is { } refused)
        {
            return refused;
        }

        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(csr.Value, profile, kind, who.Certificate, ca, now);
        return template.IsSuccess ? new CheckedEnrollment(kind, profile, who, csr.Value, template.Value, now) : template.Error;
    }

    /// <summary>
    /// A signer's part: the profile in force, the checks again (unless this process made them), then
    /// duplicate key → sign → record. A request the store already answered gets that certificate
    /// again: a job from a queue may be a redelivery, so it is looked up before signing; a job checked
    /// in this process has just arrived, and its rare repeat is found by the record phase, in the
    /// transaction that would otherwise store it (the second signature is discarded, never stored or sent).
    /// </summary>
    /// <exception cref="SigningDeferredException">The certificate store is unreachable: hand the job back.</exception>
    public Result<IssuedCertificate> Sign(SigningRequest job)
    {
        SigningPhases phases = signing ?? throw new InvalidOperationException("this process holds no CA key and cannot sign");
        if (!profiles.Current.TryGetByName(job.ProfileName, out CertificateProfile profile))
        {
            return Refuse(job, EstError.NotFound($"profile '{job.ProfileName}' no longer exists"));
        }

        CheckedEnrollment? checkedHere = CheckedHere(job, profile);
        Result<CheckedEnrollment> enrollment = checkedHere ?? Recheck(job, profile);
        if (!enrollment.IsSuccess)
        {
            return Refuse(job, enrollment.Error);
        }

        try
        {
            return SignChecked(phases, job, enrollment.Value, mayBeRedelivered: checkedHere is null);
        }
        catch (StoreUnavailableException exception)
        {
            // Never a certificate without its record, and never a stored refusal for an outage.
            throw new SigningDeferredException("the certificate store is unreachable", exception);
        }
    }

    private Result<IssuedCertificate> SignChecked(SigningPhases phases, SigningRequest job, CheckedEnrollment enrollment, bool mayBeRedelivered)
    {
        if (mayBeRedelivered && phases.Recorder.AlreadyIssued(job) is { } again)
        {
            return again;
        }

        Result<DeviceLineage> lineage = phases.Recorder.Trace(enrollment);
        if (!lineage.IsSuccess)
        {
            return Refuse(job, lineage.Error);
        }

        if (job.ProfileVersion != enrollment.Profile.Version)
        {
            LogProfileChanged(logger, job.Id, enrollment.Profile.Name, job.ProfileVersion, enrollment.Profile.Version);
        }

        KeyClaim? claim = phases.DuplicateKeys?.ClaimFor(enrollment, time.GetUtcNow());
        IssuedCertificate signed = phases.Issuer.Issue(enrollment.Template);
        Result<IssuedCertificate> recorded = phases.Recorder.Record(job, enrollment, lineage.Value, signed, claim);
        return recorded.IsSuccess ? recorded : Refuse(job, recorded.Error);
    }

    /// <summary>This process's own checks, if the job carries them and the profile has not changed since.</summary>
    private static CheckedEnrollment? CheckedHere(SigningRequest job, CertificateProfile profile) =>
        job.Checked is { } own && own.Profile.Name == profile.Name && own.Profile.Version == profile.Version ? own : null;

    /// <summary>The requester of a job is the certificate the host authenticated; the rest is checked again from the job's bytes.</summary>
    private Result<CheckedEnrollment> Recheck(SigningRequest job, CertificateProfile profile)
    {
        Result<Requester> who = Requester.FromDer(job.ClientCertificateDer);
        return who.IsSuccess ? CheckCsr(job.Kind, profile, who.Value, job.CsrDer, time.GetUtcNow()) : who.Error;
    }

    private EstError Refuse(SigningRequest job, EstError error)
    {
        LogRefused(logger, job.Id, job.ProfileName, error.Reason);
        return error;
    }

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Request {RequestId}: profile {Profile} changed between the host's check ({HostVersion}) and signing; signed under the current version {SignerVersion}")]
    private static partial void LogProfileChanged(ILogger logger, string requestId, string profile, string hostVersion, string signerVersion);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Signer refused request {RequestId} under profile {Profile}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string requestId, string profile, string reason);
}
