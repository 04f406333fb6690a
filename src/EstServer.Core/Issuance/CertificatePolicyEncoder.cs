using EstServer.Core.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Issuance;

/// <summary>Encodes a profile's policies as the certificatePolicies extension value (RFC 5280 §4.2.1.4).</summary>
public static class CertificatePolicyEncoder
{
    public static CertificatePolicies Encode(IEnumerable<CertificatePolicy> policies) =>
        new(policies.Select(ToPolicyInformation).ToArray());

    private static PolicyInformation ToPolicyInformation(CertificatePolicy policy)
    {
        var qualifiers = new Asn1EncodableVector();
        if (policy.CpsUri is not null)
        {
            qualifiers.Add(new PolicyQualifierInfo(policy.CpsUri));
        }

        if (policy.UserNotice is not null)
        {
            // RFC 5280 §4.2.1.4: explicitText SHOULD be a UTF8String of at most 200 characters.
            qualifiers.Add(new PolicyQualifierInfo(PolicyQualifierID.IdQtUnotice, new UserNotice(null, new DisplayText(DisplayText.ContentTypeUtf8String, policy.UserNotice))));
        }

        var oid = new DerObjectIdentifier(policy.Oid);
        return qualifiers.Count == 0 ? new PolicyInformation(oid) : new PolicyInformation(oid, new DerSequence(qualifiers));
    }
}
