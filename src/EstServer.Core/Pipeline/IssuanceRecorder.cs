using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;
using Microsoft.Extensions.Logging;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The record phase: a certificate reaches a client only once the store holds it, with who asked, the
/// device it descends from and the profile it was issued under. Each record is also one audit line
/// (no key material or CSR content). Every store call may throw <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed partial class IssuanceRecorder(IIssuanceLedger ledger, IssuingCa ca, TimeProvider time, ILogger<IssuanceRecorder> logger)
{
    /// <summary>The certificate already recorded for this request (a redelivered or repeated job), so it is not signed twice.</summary>
    public IssuedCertificate? AlreadyIssued(SigningRequest job) =>
        ledger.FindIssuedFor(job.Id, time.GetUtcNow()) is { } existing ? ToIssued(existing) : null;

    /// <summary>
    /// The device a certificate is for: an enrollment starts a lineage at its IDevID; a renewal continues
    /// the one of the certificate it renews, which must still be in good standing (it may have been
    /// revoked while the job waited in the queue).
    /// </summary>
    public Result<DeviceLineage> Trace(CheckedEnrollment enrollment)
    {
        Requester who = enrollment.Requester;
        if (enrollment.Kind == EnrollmentKind.Enroll)
        {
            return new DeviceLineage(who.Sha256Thumbprint, RenewsSerial: null);
        }

        string renewed = who.Certificate.SerialNumber.ToString(16);
        return ledger.FindState(ca.KeyIdHex, renewed) switch
        {
            { Status: CertificateStatus.Revoked } => EstError.Forbidden("certificate revoked"),
            { DeviceBlocked: true } => EstError.Forbidden("device identity is blocked"),
            { } state => new DeviceLineage(state.DeviceIdentity, renewed),
            // Issued before the store existed: the renewed certificate starts the lineage.
            null => new DeviceLineage(who.Sha256Thumbprint, renewed),
        };
    }

    public Result<IssuedCertificate> Record(SigningRequest job, CheckedEnrollment enrollment, DeviceLineage lineage, IssuedCertificate issued, KeyClaim? claim)
    {
        CertificateTemplate template = enrollment.Template;
        var record = new CertificateRecord
        {
            Serial = issued.SerialHex,
            IssuerKeyId = ca.KeyIdHex,
            Issuer = ca.Subject.ToString(),
            Subject = issued.Subject,
            SubjectAltNames = SubjectAltNameChecker.Text(template.SubjectAltNames),
            SpkiSha256 = claim?.SpkiSha256 ?? EstServer.Core.Csr.WeakKeyCheck.KeyHash(enrollment.Csr.PublicKeyInfo.GetDerEncoded()),
            RequesterSubject = enrollment.Requester.Subject,
            RequesterThumbprint = enrollment.Requester.Sha256Thumbprint,
            DeviceIdentity = lineage.DeviceIdentity,
            Profile = enrollment.Profile.Name,
            ProfileVersion = enrollment.Profile.Version,
            Kind = enrollment.Kind == EnrollmentKind.Enroll ? IssuanceKinds.Enroll : IssuanceKinds.Reenroll,
            RenewsSerial = lineage.RenewsSerial,
            NotBefore = new DateTimeOffset(DateTime.SpecifyKind(template.NotBefore, DateTimeKind.Utc)),
            NotAfter = new DateTimeOffset(DateTime.SpecifyKind(issued.NotAfter, DateTimeKind.Utc)),
            IssuedAt = time.GetUtcNow(),
            RequestId = job.Id,
            Der = issued.Der,
        };

        switch (ledger.Record(record, claim))
        {
            case RecordResult.AlreadyIssued already:
                // Another signer won the race for this request; its certificate is the answer, ours is never seen.
                return ToIssued(already.Existing);
            case RecordResult.KeyTaken:
                return DuplicateKeyCheck.Refusal;
            case RecordResult.DeviceBlocked:
                return EstError.Forbidden("device identity is blocked");
        }

        LogIssued(logger, issued.SerialHex, issued.Subject, template.Profile, string.Join(' ', template.Policies.Select(p => p.Oid)),
            job.Kind, enrollment.Requester.Subject, lineage.DeviceIdentity, job.Id);
        return issued;
    }

    private static IssuedCertificate ToIssued(CertificateRecord record) =>
        new(record.Der, record.Serial, record.Subject, record.NotAfter.UtcDateTime);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Issued certificate serial={Serial} subject={Subject} profile={Profile} policies={Policies} kind={Kind} requester={Requester} device={Device} request={RequestId}")]
    private static partial void LogIssued(ILogger logger, string serial, string subject, string profile, string policies, EnrollmentKind kind, string requester, string device, string requestId);
}
