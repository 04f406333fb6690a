using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.TestSupport;

/// <summary>HttpClients that do real TLS the way a device would: trust one anchor, present one certificate.</summary>
public static class TestHttpClients
{
    public static HttpClient Create(
        Uri baseAddress,
        X509Certificate2 trustAnchor,
        X509Certificate2? clientCertificate = null,
        SslProtocols protocols = SslProtocols.None,
        bool newConnectionPerRequest = false)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = newConnectionPerRequest ? TimeSpan.Zero : TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTrusted(certificate, trustAnchor),
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The server certificate must chain to the anchor and carry the loopback name; nothing else is trusted.</summary>
    public static bool IsTrusted(X509Certificate? certificate, X509Certificate2 trustAnchor)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustAnchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
