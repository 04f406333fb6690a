using System.Security.Cryptography;
using EstServer.Core.Csr;
using CertificationRequest = EstServer.Core.Csr.CertificationRequest;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Tests.Support;

/// <summary>
/// The BouncyCastle values a profile test builds its requests from (names, subjectAltNames, extensions,
/// in exactly the order given: BouncyCastle keeps the order, .NET's X500 string parser reverses it; the
/// requests themselves come from <see cref="TestCsr"/>), the request decoded as the server decodes it, and
/// certificates issued by the core's own issuer.
/// </summary>
internal static class RequestFactory
{
    public static X509Name Name(params (DerObjectIdentifier Type, string Value)[] attributes) =>
        new(attributes.Select(a => a.Type).ToList(), attributes.Select(a => a.Value).ToList());

    public static GeneralNames Dns(params string[] names) =>
        new(names.Select(name => new GeneralName(GeneralName.DnsName, name)).ToArray());

    public static X509Extensions Extensions(params (DerObjectIdentifier Oid, bool Critical, Asn1Encodable Value)[] extensions)
    {
        var generator = new X509ExtensionsGenerator();
        foreach ((DerObjectIdentifier oid, bool critical, Asn1Encodable value) in extensions)
        {
            generator.AddExtension(oid, critical, value);
        }

        return generator.Generate();
    }

    public static X509Extensions SubjectAltName(GeneralNames names) => Extensions((X509Extensions.SubjectAlternativeName, false, names));

    public static CertificationRequest Decode(byte[] der)
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(der);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        return result.Value;
    }

    /// <summary>A client certificate with the given names, signed by <paramref name="issuer"/>'s CA.</summary>
    public static X509Certificate Certificate(CertificateIssuer issuer, X509Name subject, GeneralNames? subjectAltNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var template = new CertificateTemplate(
            subject,
            SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo()),
            subjectAltNames,
            notBefore.UtcDateTime,
            notAfter.UtcDateTime,
            KeyUsage.DigitalSignature,
            ["1.3.6.1.5.5.7.3.2"])
        {
            // As if issued under a TestProfile-based profile (its default policy), which is what lets
            // it renew under such a profile.
            Policies = [new EstServer.Core.Profiles.CertificatePolicy("2.999.42.1")],
        };
        return new X509Certificate(issuer.Issue(template).Der);
    }
}
