using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Pipeline;

/// <summary>
/// RFC 7030 §4.2.2: a re-enrollment renews or rekeys the certificate it is authenticated with, and the
/// subject and subjectAltName stay those of that certificate (a name change is a new enrollment). What is
/// compared is the name the renewed certificate would carry after the profile has filled in fixed and
/// client-certificate values, so a CSR identical to the current certificate's names passes, and so does
/// one that leaves the server-provided parts out. The requester phase (<see cref="RequesterCheck"/>) has
/// already checked the certificate is ours and within the re-enroll grace period.
/// </summary>
public static class ReenrollmentRules
{
    public static EstError? CheckSameNames(X509Name subject, GeneralNames? subjectAltNames, X509Certificate current)
    {
        if (!subject.Equivalent(current.SubjectDN, inOrder: true))
        {
            return EstError.Forbidden($"re-enrollment must keep the subject of the current certificate ({current.SubjectDN}); the CSR asks for ({subject})");
        }

        GeneralNames? currentNames = current.CertificateStructure.TbsCertificate.Extensions?
            .GetExtension(X509Extensions.SubjectAlternativeName) is { } extension
            ? GeneralNames.GetInstance(extension.GetParsedValue())
            : null;
        if (!SameNames(currentNames, subjectAltNames))
        {
            return EstError.Forbidden("re-enrollment must keep the subjectAltName of the current certificate");
        }

        return null;
    }

    /// <summary>
    /// A renewal is for the profile the certificate was issued under, and (RFC 7030 §4.2.2 leaves the
    /// timing to the CA) only inside the profile's renewal window.
    /// </summary>
    public static EstError? CheckRenewal(CertificateProfile profile, X509Certificate current, DateTimeOffset now)
    {
        // A certificate renews under the profile it was issued under (its policy OIDs name it), not
        // under any label whose subject rules it happens to satisfy.
        if (profile.Policies.Count > 0 && !CarriesPolicyOf(current, profile))
        {
            return EstError.Forbidden($"the certificate was not issued under profile '{profile.Name}' (none of its policies); renew it under the label it was issued for");
        }

        if (profile.Reenroll.RenewalWindow is { } window)
        {
            DateTime opens = current.NotAfter.ToUniversalTime() - window;
            if (now.UtcDateTime < opens)
            {
                return EstError.Forbidden($"the certificate is not due for renewal yet; profile '{profile.Name}' accepts re-enrollment from {opens:u}");
            }
        }

        return null;
    }

    private static bool CarriesPolicyOf(X509Certificate certificate, CertificateProfile profile)
    {
        if (certificate.CertificateStructure.TbsCertificate.Extensions?.GetExtension(X509Extensions.CertificatePolicies) is not { } extension)
        {
            return false;
        }

        CertificatePolicies policies = CertificatePolicies.GetInstance(extension.GetParsedValue());
        return policies.GetPolicyInformation().Any(info => profile.Policies.Any(p => p.Oid == info.PolicyIdentifier.Id));
    }

    private static bool SameNames(GeneralNames? left, GeneralNames? right) =>
        Normalise(left).SequenceEqual(Normalise(right), StringComparer.Ordinal);

    private static IEnumerable<string> Normalise(GeneralNames? names) =>
        (names?.GetNames() ?? [])
            .Select(name => name.TagNo switch
            {
                // DNS names compare case-insensitively (RFC 5280 §7.2); of a mail address only the
                // domain does, the local part is exact (RFC 5280 §7.5).
                GeneralName.DnsName => $"{name.TagNo}:{((IAsn1String)name.Name).GetString().ToLowerInvariant()}",
                GeneralName.Rfc822Name => $"{name.TagNo}:{MailAddress(((IAsn1String)name.Name).GetString())}",
                _ => $"{name.TagNo}:{Convert.ToHexString(name.GetEncoded(Asn1Encodable.Der))}",
            })
            .Order(StringComparer.Ordinal);

    private static string MailAddress(string address)
    {
        int at = address.LastIndexOf('@');
        return at < 0 ? address.ToLowerInvariant() : address[..at] + address[at..].ToLowerInvariant();
    }
}
