using System.Security.Cryptography.X509Certificates;
using X509Extension = System.Security.Cryptography.X509Certificates.X509Extension;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>Reads the certificatePolicies extension of an issued certificate with BouncyCastle, independently of the server's encoder.</summary>
public static class CertificatePolicyReader
{
    public const string ExtensionOid = "2.5.29.32";

    public const string CpsQualifierOid = "1.3.6.1.5.5.7.2.1";

    public const string UserNoticeQualifierOid = "1.3.6.1.5.5.7.2.2";

    /// <summary>The policies, in the order the certificate lists them; empty when it has no certificatePolicies extension.</summary>
    public static IReadOnlyList<IssuedPolicy> Read(X509Certificate2 certificate)
    {
        X509Extension[] extensions = certificate.Extensions.Cast<X509Extension>().Where(e => e.Oid?.Value == ExtensionOid).ToArray();
        Assert.That(extensions, Has.Length.LessThanOrEqualTo(1), "at most one certificatePolicies extension");
        if (extensions.Length == 0)
        {
            return [];
        }

        var policies = new List<IssuedPolicy>();
        CertificatePolicies parsed = CertificatePolicies.GetInstance(Asn1Object.FromByteArray(extensions[0].RawData));
        foreach (PolicyInformation information in parsed.GetPolicyInformation())
        {
            var qualifierOids = new List<string>();
            string? cps = null, notice = null, noticeType = null;
            foreach (Asn1Encodable item in information.PolicyQualifiers ?? Enumerable.Empty<Asn1Encodable>())
            {
                PolicyQualifierInfo qualifier = PolicyQualifierInfo.GetInstance(item);
                string qualifierOid = qualifier.PolicyQualifierId.Id;
                qualifierOids.Add(qualifierOid);
                if (qualifierOid == CpsQualifierOid)
                {
                    cps = DerIA5String.GetInstance(qualifier.Qualifier).GetString();
                }
                else if (qualifierOid == UserNoticeQualifierOid)
                {
                    UserNotice userNotice = UserNotice.GetInstance(qualifier.Qualifier);
                    notice = userNotice.ExplicitText?.GetString();
                    noticeType = userNotice.ExplicitText?.ToAsn1Object().GetType().Name;
                }
            }

            policies.Add(new IssuedPolicy(information.PolicyIdentifier.Id, qualifierOids, cps, notice, noticeType));
        }

        return policies;
    }

    /// <summary>The policy OIDs only, in order.</summary>
    public static IReadOnlyList<string> Oids(X509Certificate2 certificate) => Read(certificate).Select(p => p.Oid).ToArray();
}
