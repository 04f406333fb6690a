using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Core.Pipeline;

/// <summary>An authenticated TLS client: the certificate it presented, and how logs and jobs name it.</summary>
public sealed class ClientIdentity
{
    public ClientIdentity(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Subject = certificate.Subject;
        Sha256Thumbprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    public X509Certificate2 Certificate { get; }

    public string Subject { get; }

    public string Sha256Thumbprint { get; }

    public override string ToString() => $"{Subject} (sha256 {Sha256Thumbprint})";
}
