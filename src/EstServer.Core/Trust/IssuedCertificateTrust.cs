using System.Security.Cryptography.X509Certificates;

namespace EstServer.Core.Trust;

/// <summary>What recognises a certificate this server issued: the CA chain, and the issuing CA itself.</summary>
public sealed class IssuedCertificateTrust
{
    /// <param name="caChainDer">The issuing CA first, then its chain up to the root.</param>
    public IssuedCertificateTrust(IReadOnlyList<byte[]> caChainDer)
    {
        IssuingCaDer = caChainDer[0];
        Anchors = new TrustAnchors("this server's issuing CA", caChainDer.Select(X509CertificateLoader.LoadCertificate));
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificate(IssuingCaDer);
        IssuingCaThumbprint = issuing.Thumbprint;
    }

    public TrustAnchors Anchors { get; }

    public byte[] IssuingCaDer { get; }

    public string IssuingCaThumbprint { get; }
}
