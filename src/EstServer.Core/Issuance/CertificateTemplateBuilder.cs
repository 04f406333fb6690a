using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;
using EstServer.Core.Queue;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Issuance;

/// <summary>
/// Applies a profile to a CSR: checks what the profile checks and decides what the certificate will
/// contain. Runs on the host before a request is queued and again on the signer before it signs.
/// </summary>
public static class CertificateTemplateBuilder
{
    public static Result<CertificateTemplate> Build(
        CertificationRequest csr,
        CertificateProfile profile,
        EnrollmentKind kind,
        X509Certificate clientCertificate,
        IssuingCa ca,
        DateTimeOffset now)
    {
        if (profile.Keys.Check(csr.Key) is { } keyError)
        {
            return keyError;
        }

        if (kind == EnrollmentKind.Reenroll && ReenrollmentRules.CheckSameNames(csr, clientCertificate) is { } nameError)
        {
            return nameError;
        }

        if (csr.HasEmptySubject && csr.SubjectAltNames is null)
        {
            return EstError.BadRequest("CSR has neither a subject nor a subjectAltName; a certificate must name its holder");
        }

        DateTime start = Truncate(now - profile.Backdate);
        DateTime caEnd = ca.NotAfter.ToUniversalTime();
        if (now.UtcDateTime >= caEnd)
        {
            return EstError.Unavailable("the issuing CA certificate has expired", TimeSpan.FromHours(1));
        }

        // RFC 5280 §6 path validation fails for a certificate that outlives its issuer, so clamp.
        DateTime end = Truncate(now + profile.Validity);
        if (end > caEnd)
        {
            end = caEnd;
        }

        int keyUsage = profile.KeyUsage;
        if (csr.Key.Algorithm == KeyAlgorithm.Rsa && profile.KeyEnciphermentForRsa)
        {
            keyUsage |= Org.BouncyCastle.Asn1.X509.KeyUsage.KeyEncipherment;
        }

        return new CertificateTemplate(csr.Subject, csr.PublicKeyInfo, csr.SubjectAltNames, start, end, keyUsage, profile.ExtendedKeyUsages);
    }

    private static DateTime Truncate(DateTimeOffset time)
    {
        DateTime utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
