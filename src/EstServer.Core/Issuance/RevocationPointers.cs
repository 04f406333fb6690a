using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Issuance;

/// <summary>The two extensions that tell a relying party where to check a certificate's revocation, built once per issuer.</summary>
internal static class RevocationPointers
{
    public static IReadOnlyList<(DerObjectIdentifier Oid, Asn1Encodable Value)> For(RevocationEndpoints endpoints, string issuerKeyId)
    {
        // RFC 5280 §4.2.1.13: one distribution point with a fullName URI, no reasons (all reasons) and
        // no cRLIssuer (the CA signs its own CRL).
        var crlName = new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, endpoints.CrlUrl(issuerKeyId).AbsoluteUri));
        var distributionPoints = new CrlDistPoint([new DistributionPoint(new DistributionPointName(crlName), null, null)]);

        // RFC 5280 §4.2.2.1: id-ad-ocsp names the responder (RFC 6960 §3.1), id-ad-caIssuers a DER
        // certificate of the issuer so a client missing the intermediate can fetch it.
        var access = new AuthorityInformationAccess([
            new AccessDescription(AccessDescription.IdADOcsp, new GeneralName(GeneralName.UniformResourceIdentifier, endpoints.OcspUrl.AbsoluteUri)),
            new AccessDescription(AccessDescription.IdADCAIssuers, new GeneralName(GeneralName.UniformResourceIdentifier, endpoints.CaIssuersUrl(issuerKeyId).AbsoluteUri)),
        ]);

        return [(X509Extensions.CrlDistributionPoints, distributionPoints), (X509Extensions.AuthorityInfoAccess, access)];
    }
}
