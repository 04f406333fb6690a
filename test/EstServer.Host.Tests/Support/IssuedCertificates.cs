using System.Formats.Asn1;
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
}
