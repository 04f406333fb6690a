using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;
using EstServer.Host.DevPki;

namespace EstServer.Host.Pki;

/// <summary>The certificates and keys the server runs with, loaded once at start-up.</summary>
public sealed class PkiMaterial(
    IssuingCa ca,
    ICertificateSigner? signer,
    X509Certificate2? serverCertificate,
    X509Certificate2Collection serverChain,
    IReadOnlyDictionary<string, string> builtInTrustAnchors,
    DevPkiLayout? devPki,
    bool devPkiCreated)
{
    public IssuingCa Ca { get; } = ca;

    /// <summary>The CA key, when this process signs (embedded mode).</summary>
    public ICertificateSigner? Signer { get; } = signer;

    /// <summary>The HTTPS certificate, when this process serves HTTPS.</summary>
    public X509Certificate2? ServerCertificate { get; } = serverCertificate;

    /// <summary>Intermediates sent after the server certificate in the TLS handshake.</summary>
    public X509Certificate2Collection ServerChain { get; } = serverChain;

    /// <summary>Trust anchors profiles may name instead of a path (dev:manufacturer with the development PKI).</summary>
    public IReadOnlyDictionary<string, string> BuiltInTrustAnchors { get; } = builtInTrustAnchors;

    /// <summary>Set when running on the development PKI.</summary>
    public DevPkiLayout? DevPki { get; } = devPki;

    public bool DevPkiCreated { get; } = devPkiCreated;
}
