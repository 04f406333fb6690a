using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Pipeline;

/// <summary>
/// What a signer does with one job: look at it again under the profile in force (nothing read from a
/// queue is trusted just because the host looked at it), then sign.
/// </summary>
public sealed partial class SigningJobProcessor(
    IProfileCatalogProvider profiles,
    CertificateIssuer issuer,
    TimeProvider time,
    ILogger<SigningJobProcessor> logger,
    SigningJobProcessorOptions? options = null,
    WeakKeyCheck? weakKeys = null,
    IKeyRegistry? keyRegistry = null)
{
    private readonly bool _verifyProofOfPossession = options?.VerifyProofOfPossession ?? true;

    public SigningOutcome Process(SigningRequest request)
    {
        if (!profiles.Current.TryGetByName(request.ProfileName, out CertificateProfile profile))
        {
            return Refuse(request, EstError.NotFound($"profile '{request.ProfileName}' no longer exists"));
        }

        Result<CertificationRequest> csr = CsrDecoder.Decode(request.CsrDer);
        if (!csr.IsSuccess)
        {
            return Refuse(request, csr.Error);
        }

        // Proof of possession again: a CSR swapped on its way here must not be signed.
        if ((profile.Keys.Check(csr.Value.Key) ?? weakKeys?.Check(csr.Value.PublicKeyInfo) ?? (_verifyProofOfPossession ? CsrSignatureVerifier.Verify(csr.Value) : null)) is { } rejected)
        {
            return Refuse(request, rejected);
        }

        X509Certificate client;
        try
        {
            client = new X509Certificate(request.ClientCertificateDer);
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or InvalidCastException or Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            return Refuse(request, EstError.BadRequest("the job's client certificate is malformed"));
        }

        Result<CertificateTemplate> template = CertificateTemplateBuilder.Build(csr.Value, profile, request.Kind, client, issuer.Ca, time.GetUtcNow());
        if (!template.IsSuccess)
        {
            return Refuse(request, template.Error);
        }

        if (keyRegistry is not null)
        {
            // One key, one identity: a key already certified to someone else is a cloned or shared key.
            string owner = template.Value.Subject + "|" + template.Value.SubjectAltNames;
            string? other = keyRegistry.Claim(WeakKeyCheck.KeyHash(csr.Value.PublicKeyInfo.GetDerEncoded()), owner, profile.Validity + profile.Reenroll.GracePeriod);
            if (other is not null)
            {
                return Refuse(request, EstError.Forbidden("the CSR's public key is already certified to another identity; every device needs its own key"));
            }
        }

        if (request.ProfileVersion != profile.Version)
        {
            LogProfileChanged(logger, request.Id, profile.Name, request.ProfileVersion, profile.Version);
        }

        IssuedCertificate issued = issuer.Issue(template.Value);
        LogIssued(logger, issued.SerialHex, issued.Subject, template.Value.Profile, string.Join(' ', template.Value.Policies.Select(p => p.Oid)),
            request.Kind, client.SubjectDN.ToString(), request.Id);
        return new SigningOutcome.Issued(issued.Der);
    }

    private SigningOutcome Refuse(SigningRequest request, EstError error)
    {
        LogRefused(logger, request.Id, request.ProfileName, error.Reason);
        return new SigningOutcome.Refused(error);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Issued certificate serial={Serial} subject={Subject} profile={Profile} policies={Policies} kind={Kind} requester={Requester} request={RequestId}")]
    private static partial void LogIssued(ILogger logger, string serial, string subject, string profile, string policies, EnrollmentKind kind, string requester, string requestId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Request {RequestId}: profile {Profile} changed between the host's check ({HostVersion}) and signing; signed under the current version {SignerVersion}")]
    private static partial void LogProfileChanged(ILogger logger, string requestId, string profile, string hostVersion, string signerVersion);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Signer refused request {RequestId} under profile {Profile}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string requestId, string profile, string reason);
}
