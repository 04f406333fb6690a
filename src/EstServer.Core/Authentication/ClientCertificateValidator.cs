using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;

namespace EstServer.Core.Authentication;

/// <summary>
/// Decides whether a TLS client certificate may use an EST operation. TLS only proves the client holds
/// the key; whether the certificate chains to the right anchors is checked here, per request, so that
/// a refusal is an HTTP answer with a reason (RFC 7030 §3.3.2) rather than a failed handshake.
/// </summary>
public sealed class ClientCertificateValidator(TimeProvider time)
{
    /// <summary>Initial enrollment: the certificate must chain to a device-identity (IDevID) CA and be within validity.</summary>
    public Result<ClientIdentity> ValidateDeviceIdentity(X509Certificate2? certificate, TrustAnchors anchors)
    {
        if (certificate is null)
        {
            return MissingCertificate();
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        using X509Chain chain = CreateChain(anchors, now, ignoreTime: false);
        if (chain.Build(certificate))
        {
            return new ClientIdentity(certificate);
        }

        X509ChainStatusFlags problems = Problems(chain);
        if ((problems & X509ChainStatusFlags.NotTimeValid) != 0 && IsOnlyTimeProblem(problems))
        {
            return EstError.Forbidden(certificate.NotAfter.ToUniversalTime() < now
                ? $"client certificate expired at {certificate.NotAfter.ToUniversalTime():u}"
                : "client certificate or its CA is outside its validity period");
        }

        return EstError.Forbidden($"client certificate is not issued by a trusted device-identity CA ({anchors.Description})");
    }

    /// <summary>
    /// Re-enrollment (RFC 7030 §4.2.2): the certificate must be one this CA issued, and current, or
    /// expired by no more than the grace period.
    /// </summary>
    public Result<ClientIdentity> ValidateIssuedCertificate(X509Certificate2? certificate, IssuedCertificateTrust issued, TimeSpan gracePeriod)
    {
        if (certificate is null)
        {
            return MissingCertificate();
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        using X509Chain chain = CreateChain(issued.Anchors, now, ignoreTime: true);
        bool built = chain.Build(certificate);
        if (!built || chain.ChainElements.Count < 2 || !chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(issued.IssuingCaDer))
        {
            return EstError.Forbidden("client certificate was not issued by this EST server's CA; use simpleenroll with a device identity");
        }

        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            return EstError.Forbidden("client certificate is not yet valid");
        }

        DateTime notAfter = certificate.NotAfter.ToUniversalTime();
        if (notAfter + gracePeriod < now)
        {
            return EstError.Forbidden(gracePeriod > TimeSpan.Zero
                ? $"client certificate expired at {notAfter:u}, beyond the re-enrollment grace period of {gracePeriod}"
                : $"client certificate expired at {notAfter:u}");
        }

        return new ClientIdentity(certificate);
    }

    private static EstError MissingCertificate() =>
        EstError.Unauthorized("a TLS client certificate is required for this operation");

    private static X509Chain CreateChain(TrustAnchors anchors, DateTime now, bool ignoreTime)
    {
        var chain = new X509Chain();
        X509ChainPolicy policy = chain.ChainPolicy;
        // A custom root store is both correct (only configured anchors count, never the OS store)
        // and cheaper than the default chain engine.
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(anchors.Roots);
        policy.ExtraStore.AddRange(anchors.Intermediates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now;
        policy.VerificationTimeIgnored = false;
        if (ignoreTime)
        {
            policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested;
        }

        return chain;
    }

    private static X509ChainStatusFlags Problems(X509Chain chain)
    {
        X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
        foreach (X509ChainStatus status in chain.ChainStatus)
        {
            flags |= status.Status;
        }

        return flags;
    }

    private static bool IsOnlyTimeProblem(X509ChainStatusFlags flags) =>
        (flags & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) == 0;
}
