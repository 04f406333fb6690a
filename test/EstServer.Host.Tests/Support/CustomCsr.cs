using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.Tests.Support;

/// <summary>PKCS#10 requests with whatever extensions a test asks for (any subjectAltName form, unusual extensions).</summary>
internal static class CustomCsr
{
    /// <summary>An EC P-256 request for <paramref name="subject"/>; <paramref name="configure"/> adds extensions.</summary>
    public static byte[] Create(string subject, Action<CertificateRequest> configure)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        configure(request);
        return request.CreateSigningRequest();
    }

    /// <summary>A subjectAltName extension built by <paramref name="names"/>.</summary>
    public static Action<CertificateRequest> WithSubjectAltNames(Action<SubjectAlternativeNameBuilder> names) => request =>
    {
        var builder = new SubjectAlternativeNameBuilder();
        names(builder);
        request.CertificateExtensions.Add(builder.Build());
    };
}
