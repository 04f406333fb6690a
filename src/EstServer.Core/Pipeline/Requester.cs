using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using Org.BouncyCastle.Security.Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EstServer.Core.Pipeline;

/// <summary>
/// Who asks for a certificate: the TLS client certificate that authenticated the request, read once
/// into what the later phases need (its DER for the job, the parsed certificate whose names, validity
/// and policies the template phase reads), and how logs name it.
/// </summary>
public sealed class Requester
{
    private Requester(byte[] der, BcCertificate certificate)
    {
        Der = der;
        Certificate = certificate;
        // Named as the platform names the TLS client elsewhere in the logs (the request scope).
        Subject = new X500DistinguishedName(certificate.SubjectDN.GetEncoded()).Name;
        Sha256Thumbprint = Convert.ToHexStringLower(SHA256.HashData(der));
    }

    public byte[] Der { get; }

    public BcCertificate Certificate { get; }

    public string Subject { get; }

    public string Sha256Thumbprint { get; }

    /// <summary>The certificate a TLS handshake authenticated (the platform has already parsed it).</summary>
    public static Requester From(X509Certificate2 certificate) => new(certificate.RawData, new BcCertificate(certificate.RawData));

    /// <summary>The certificate carried by a signing job: bytes from a queue, which may be anything.</summary>
    public static Result<Requester> FromDer(byte[] der)
    {
        try
        {
            return new Requester(der, new BcCertificate(der));
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or InvalidCastException or CertificateException)
        {
            return EstError.BadRequest("the job's client certificate is malformed");
        }
    }

    public override string ToString() => Describe(Subject, Sha256Thumbprint);

    /// <summary>How logs name a TLS client, without parsing its certificate again (refusals may come in floods).</summary>
    public static string Describe(X509Certificate2 certificate) =>
        Describe(certificate.Subject, Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)));

    private static string Describe(string subject, string sha256Thumbprint) => $"{subject} (sha256 {sha256Thumbprint})";
}
