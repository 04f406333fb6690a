using EstServer.Core.Issuance;
using Microsoft.Extensions.Logging;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The record phase: every issued certificate is one audit line naming what was issued, under which
/// profile version and policies, to whom, and for which request. No key material or CSR content.
/// </summary>
public sealed partial class IssuanceRecorder(ILogger<IssuanceRecorder> logger)
{
    public void Record(SigningRequest job, CheckedEnrollment enrollment, IssuedCertificate issued)
    {
        CertificateTemplate template = enrollment.Template;
        LogIssued(logger, issued.SerialHex, issued.Subject, template.Profile, string.Join(' ', template.Policies.Select(p => p.Oid)),
            job.Kind, enrollment.Requester.Subject, job.Id);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Issued certificate serial={Serial} subject={Subject} profile={Profile} policies={Policies} kind={Kind} requester={Requester} request={RequestId}")]
    private static partial void LogIssued(ILogger logger, string serial, string subject, string profile, string policies, EnrollmentKind kind, string requester, string requestId);
}
