using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Trust;

namespace EstServer.Core.Pipeline;

/// <summary>
/// Decides whether a TLS client certificate may use an EST operation. TLS proves the client holds the
/// key; whether its path ends at the right anchors is decided here, per operation and profile, so that
/// a refusal is an HTTP answer with a reason (RFC 7030 §3.3.2) rather than a failed handshake. The path
/// is normally built once, during the handshake, against every profile's anchors (and with the
/// intermediates the client sent); without one (no TLS, as in in-process tests) it is built here.
/// </summary>
public sealed class ClientCertificateValidator(TimeProvider time)
{
    /// <summary>Initial enrollment: the certificate must chain to one of the profile's device-identity (IDevID) CAs and be within validity.</summary>
    public Result<ClientIdentity> ValidateDeviceIdentity(X509Certificate2? certificate, TrustAnchors anchors, ClientChain? handshakeChain = null)
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

        return new ClientIdentity(certificate);
    }

    /// <summary>
    /// Re-enrollment (RFC 7030 §4.2.2): the certificate must be one this CA issued, and current, or
    /// expired by no more than the grace period.
    /// </summary>
    public Result<ClientIdentity> ValidateIssuedCertificate(X509Certificate2? certificate, IssuedCertificateTrust issued, TimeSpan gracePeriod, ClientChain? handshakeChain = null)
    {
        if (certificate is null)
        {
            return MissingCertificate();
        }

        ClientChain chain = handshakeChain ?? ClientChain.Build(certificate, issued.Anchors);
        if (!chain.Trusted || chain.Links.Count < 2
            || !string.Equals(chain.Links[1].Thumbprint, issued.IssuingCaThumbprint, StringComparison.OrdinalIgnoreCase)
            || !issued.Anchors.RootThumbprints.Contains(chain.Root.Thumbprint))
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

        return new ClientIdentity(certificate);
    }

    private static EstError MissingCertificate() =>
        EstError.Unauthorized("a TLS client certificate is required for this operation");
}
