using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Trust;

namespace EstServer.Host.Admin;

/// <summary>
/// Decides who is an admin: the TLS client certificate must chain to the admin CA (Est:Admin:CaPath),
/// and only to it. The path is built here, per request, against that CA alone: the path the handshake
/// built (<see cref="EstServer.Host.Tls.ClientChainCapture"/>) is against the device anchors, which an
/// admin certificate must not reach and a device certificate reaching them proves nothing here. Unlike
/// device paths, time is checked at once (the server's clock): admin access has no grace period.
/// </summary>
public sealed class AdminAuthenticator(TrustAnchors adminCa, TimeProvider time)
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public TrustAnchors AdminCa => adminCa;

    /// <summary>The actor to audit ("subject (sha256 thumbprint)"), or why the request is refused.</summary>
    public Result<string> Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return EstError.Unauthorized("admin client certificate required");
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        using var chain = new X509Chain { ChainPolicy = EstServer.Core.Trust.ClientChain.Policy(adminCa) };
        try
        {
            if (!chain.Build(certificate) || chain.ChainElements.Count == 0)
            {
                return EstError.Forbidden("client certificate is not from the admin CA");
            }

            // Every link, the CA's included, must be valid now; the chain's own time check uses the
            // machine clock, so it is left off and done here with the server's TimeProvider.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                if (now < element.Certificate.NotBefore.ToUniversalTime() || now > element.Certificate.NotAfter.ToUniversalTime())
                {
                    return EstError.Forbidden("admin client certificate (or its CA) is expired or not yet valid");
                }
            }
        }
        finally
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }

        // No EKU means any use (RFC 5280 §4.2.1.12); one without clientAuth was meant for something else.
        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
            && !usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(oid => oid.Value == ClientAuthOid))
        {
            return EstError.Forbidden("admin client certificate lacks the clientAuth extended key usage");
        }

        return Requester.Describe(certificate);
    }
}
