using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The requester phase: whether a TLS client certificate may use an EST operation under a profile. TLS
/// proves the client holds the key; whether its path ends at the right anchors is decided here, per
/// operation and profile, so that a refusal is an HTTP answer with a reason (RFC 7030 §3.3.2) rather
/// than a failed handshake; <see cref="StandingCheck"/> then asks the store about it. The path is normally built once, during the handshake, against every
/// profile's anchors (and with the intermediates the client sent); without one (no TLS, as in
/// in-process tests and the dry run) it is built here.
/// </summary>
public sealed class RequesterCheck(TimeProvider time, IssuedCertificateTrust issued, StandingCheck standing)
{
    /// <summary>
    /// simpleenroll needs a device identity the profile trusts; simplereenroll a certificate this CA
    /// issued (RFC 7030 §4.2.2); either in good standing with the store.
    /// </summary>
    public Result<Requester> Authenticate(EnrollmentKind kind, CertificateProfile profile, X509Certificate2? certificate, ClientChain? handshakeChain = null)
    {
        Result<Requester> who = kind == EnrollmentKind.Enroll
            ? ValidateDeviceIdentity(certificate, profile.DeviceIdentityAnchors, handshakeChain)
            : ValidateIssuedCertificate(certificate, issued, profile.Reenroll.GracePeriod, handshakeChain);
        return who.IsSuccess && standing.Check(kind, who.Value) is { } refused ? refused : who;
    }

    /// <summary>Initial enrollment: the certificate must chain to one of the profile's device-identity (IDevID) CAs and be within validity.</summary>
    public Result<Requester> ValidateDeviceIdentity(X509Certificate2? certificate, TrustAnchors anchors, ClientChain? handshakeChain = null)
    {
        if (certificate is null)
        {
            return MissingCertificate();
        }

        ClientChain chain = handshakeChain ?? ClientChain.Build(certificate, anchors);
        if (!chain.Trusted || !anchors.RootThumbprints.Contains(chain.Root.Thumbprint))
        {
            return EstError.Forbidden($"client certificate is not issued by a trusted device-identity CA ({anchors.Description})");
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        ChainLink leaf = chain.Links[0];
        if (leaf.NotAfterUtc < now)
        {
            return EstError.Forbidden($"client certificate expired at {leaf.NotAfterUtc:u}");
        }

        if (chain.Links.Any(link => link.NotBeforeUtc > now || link.NotAfterUtc < now))
        {
            return EstError.Forbidden("client certificate or its CA is outside its validity period");
        }

        return Requester.From(certificate);
    }

    /// <summary>
    /// Re-enrollment (RFC 7030 §4.2.2): the certificate must be one this CA issued, and current, or
    /// expired by no more than the grace period.
    /// </summary>
    public Result<Requester> ValidateIssuedCertificate(X509Certificate2? certificate, IssuedCertificateTrust trust, TimeSpan gracePeriod, ClientChain? handshakeChain = null)
    {
        if (certificate is null)
        {
            return MissingCertificate();
        }

        ClientChain chain = handshakeChain ?? ClientChain.Build(certificate, trust.Anchors);
        if (!chain.Trusted || chain.Links.Count < 2
            || !string.Equals(chain.Links[1].Thumbprint, trust.IssuingCaThumbprint, StringComparison.OrdinalIgnoreCase)
            || !trust.Anchors.RootThumbprints.Contains(chain.Root.Thumbprint))
        {
            return EstError.Forbidden("client certificate was not issued by this EST server's CA; use simpleenroll with a device identity");
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        ChainLink leaf = chain.Links[0];
        if (leaf.NotBeforeUtc > now)
        {
            return EstError.Forbidden("client certificate is not yet valid");
        }

        if (leaf.NotAfterUtc + gracePeriod < now)
        {
            return EstError.Forbidden(gracePeriod > TimeSpan.Zero
                ? $"client certificate expired at {leaf.NotAfterUtc:u}, beyond the re-enrollment grace period of {gracePeriod}"
                : $"client certificate expired at {leaf.NotAfterUtc:u}");
        }

        return Requester.From(certificate);
    }

    private static EstError MissingCertificate() =>
        EstError.Unauthorized("a TLS client certificate is required for this operation");
}
