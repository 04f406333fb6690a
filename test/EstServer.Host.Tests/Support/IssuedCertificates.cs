using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.Tests.Support;

/// <summary>Reads what the profile put into an issued certificate, with System.Formats.Asn1 rather than the server's code.</summary>
internal static class IssuedCertificates
{
    private const string CertificatePoliciesOid = "2.5.29.32";

    /// <summary>The policy identifiers of the certificatePolicies extension (RFC 5280 §4.2.1.4); empty without it.</summary>
    public static IReadOnlyList<string> PolicyOids(X509Certificate2 certificate)
    {
        X509Extension? extension = certificate.Extensions[CertificatePoliciesOid];
        if (extension is null)
        {
            return [];
        }

        var oids = new List<string>();
        AsnReader policies = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (policies.HasData)
        {
            AsnReader information = policies.ReadSequence();
            oids.Add(information.ReadObjectIdentifier());
        }

        return oids;
    }

    /// <summary>The certificate's subject attributes in order, as (OID, value).</summary>
    public static IReadOnlyList<(string Oid, string Value)> SubjectAttributes(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false)
            .Select(rdn => (rdn.GetSingleElementType().Value!, rdn.GetSingleElementValue()!))
            .ToArray();

    /// <summary>
    /// A client certificate signed with <paramref name="issuer"/>'s key for any validity period, even one
    /// outside the issuer's (no nesting check), carrying <paramref name="policyOids"/> in certificatePolicies.
    /// </summary>
    public static X509Certificate2 CreateClient(X509Certificate2 issuer, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, IEnumerable<string>? policyOids = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (policyOids is not null)
        {
            // certificatePolicies (RFC 5280 §4.2.1.4): SEQUENCE OF PolicyInformation { policyIdentifier }.
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                foreach (string oid in policyOids)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(oid);
                    }
                }
            }

            request.CertificateExtensions.Add(new X509Extension(CertificatePoliciesOid, writer.Encode(), false));
        }

        using ECDsa issuerKey = issuer.GetECDsaPrivateKey() ?? throw new ArgumentException("the issuer needs its EC private key", nameof(issuer));
        using X509Certificate2 certificate = request.Create(
            issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        return certificate.CopyWithPrivateKey(key);
    }
}
