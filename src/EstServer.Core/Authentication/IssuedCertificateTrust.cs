using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Issuance;

namespace EstServer.Core.Authentication;

/// <summary>What recognises a certificate this server issued: the CA chain, and the issuing CA itself.</summary>
public sealed class IssuedCertificateTrust
{
    public IssuedCertificateTrust(IssuingCa ca)
    {
        IssuingCaDer = ca.ChainDer[0];
        Anchors = new TrustAnchors("this server's issuing CA", ca.ChainDer.Select(X509CertificateLoader.LoadCertificate));
        using X509Certificate2 issuing = X509CertificateLoader.LoadCertificate(IssuingCaDer);
        IssuingCaThumbprint = issuing.Thumbprint;
    }

    public TrustAnchors Anchors { get; }

    public byte[] IssuingCaDer { get; }

    public string IssuingCaThumbprint { get; }
}
