using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using Microsoft.AspNetCore.Connections;

namespace EstServer.Host.Tls;

/// <summary>
/// Builds the client's certificate path once, during the TLS handshake, against every anchor the
/// server knows (all profiles' device-identity CAs and its own CA) and with the intermediates the
/// client sent, and remembers the result with the certificate object the connection exposes. TLS
/// builds a path for a client certificate anyway; giving it the right store makes that one build do
/// the work, instead of a second build per request (about half a millisecond of CPU), and lets devices
/// send their intermediates. Which anchor is acceptable is still decided per request, by the profile of
/// the route; a certificate without a remembered path (no handshake, as in in-process tests) gets its
/// path built then.
/// </summary>
public sealed class ClientChainCapture(IProfileCatalogProvider profiles, IssuedCertificateTrust issued)
{
    private readonly ConditionalWeakTable<ProfileCatalog, X509ChainPolicy> _policies = [];
    private readonly ConditionalWeakTable<X509Certificate2, ClientChain> _chains = [];

    /// <summary>Kestrel's OnAuthenticate: the path is built against all current anchors.</summary>
    public void OnAuthenticate(ConnectionContext connection, SslServerAuthenticationOptions options) =>
        options.CertificateChainPolicy = _policies.GetValue(profiles.Current, CreatePolicy).Clone();

    /// <summary>Kestrel's ClientCertificateValidation: remember the path; never refuse the handshake here.</summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (chain is not null)
        {
            _chains.AddOrUpdate(certificate, ClientChain.From(chain));
        }

        return true;
    }

    public ClientChain? Find(X509Certificate2? certificate) =>
        certificate is not null && _chains.TryGetValue(certificate, out ClientChain? chain) ? chain : null;

    private X509ChainPolicy CreatePolicy(ProfileCatalog catalog) =>
        ClientChain.Policy(TrustAnchors.Union("all anchors", catalog.Profiles.Select(p => p.DeviceIdentityAnchors).Append(issued.Anchors)));
}
