using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Lifecycle;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The requester phase's second half: what the certificate store knows about an authenticated client.
/// A blocked device identity may neither enroll nor re-enroll; a revoked certificate may not renew
/// itself (RFC 7030 §4.2.2 re-enrollment assumes a certificate in good standing). A certificate of
/// this CA that the store never saw predates the store and renews as its own device identity. Blocks
/// are read from memory (<see cref="BlockedIdentities"/>); a renewed certificate's state from the store.
/// </summary>
public sealed class StandingCheck(ICertificateStatusReader store, IssuingCa ca, TimeProvider time, TimeSpan retryAfter)
{
    private readonly BlockedIdentities _blocked = new(store, time);

    public EstError? Check(EnrollmentKind kind, Requester who)
    {
        try
        {
            if (kind == EnrollmentKind.Enroll)
            {
                return _blocked.Contains(who.Sha256Thumbprint) ? Blocked() : null;
            }

            CertificateState? state = store.FindState(ca.KeyIdHex, who.Certificate.SerialNumber.ToString(16));
            return state switch
            {
                { Status: CertificateStatus.Revoked } => EstError.Forbidden("certificate revoked"),
                { DeviceBlocked: true } => Blocked(),
                _ => null,
            };
        }
        catch (StoreUnavailableException)
        {
            // Never enroll past a store that cannot say whether the device is blocked or revoked.
            return EstError.Unavailable("the certificate store is unreachable; try again later", retryAfter);
        }
    }

    private static EstError Blocked() => EstError.Forbidden("device identity is blocked");
}
