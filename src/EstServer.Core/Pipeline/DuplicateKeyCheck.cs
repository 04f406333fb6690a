using EstServer.Core.Csr;
using EstServer.Core.Errors;

namespace EstServer.Core.Pipeline;

/// <summary>
/// One key, one identity: a public key already certified to another identity is a cloned or shared
/// device key. The identity is the name the certificate will carry (subject and subjectAltName), so a
/// renewal that keeps its key and names claims its own key again. Runs only where certificates are
/// signed, after the template, because the claim is a write.
/// </summary>
public sealed class DuplicateKeyCheck(IKeyRegistry registry)
{
    /// <exception cref="SigningDeferredException">The registry cannot be reached; the job must be retried, not refused.</exception>
    public EstError? Claim(CheckedEnrollment enrollment)
    {
        string owner = enrollment.Template.Subject + "|" + enrollment.Template.SubjectAltNames;
        string keyHash = WeakKeyCheck.KeyHash(enrollment.Csr.PublicKeyInfo.GetDerEncoded());
        TimeSpan lifetime = enrollment.Profile.Validity + enrollment.Profile.Reenroll.GracePeriod;
        return registry.Claim(keyHash, owner, lifetime) is null
            ? null
            : EstError.Forbidden("the CSR's public key is already certified to another identity; every device needs its own key");
    }
}
