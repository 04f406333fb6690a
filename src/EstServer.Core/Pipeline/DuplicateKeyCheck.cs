using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Lifecycle;

namespace EstServer.Core.Pipeline;

/// <summary>
/// One key, one identity: a public key already certified to another identity is a cloned or shared
/// device key. The identity is the name the certificate will carry (subject and subjectAltName), so a
/// renewal that keeps its key and names claims its own key again. The claim is written by the record
/// phase in the same transaction as the certificate, so two signers cannot both win one key.
/// </summary>
public sealed class DuplicateKeyCheck
{
    public KeyClaim ClaimFor(CheckedEnrollment enrollment, DateTimeOffset now)
    {
        string owner = enrollment.Template.Subject + "|" + enrollment.Template.SubjectAltNames;
        string keyHash = WeakKeyCheck.KeyHash(enrollment.Csr.PublicKeyInfo.GetDerEncoded());
        // The claim outlives the certificate by the grace period in which it may still renew itself.
        return new KeyClaim(keyHash, owner, now + enrollment.Profile.Validity + enrollment.Profile.Reenroll.GracePeriod);
    }

    public static EstError Refusal { get; } =
        EstError.Forbidden("the CSR's public key is already certified to another identity; every device needs its own key");
}
