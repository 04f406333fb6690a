using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using EstServer.Core.Profiles;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The template phase: applies a profile to a CSR whose key has passed the key checks. Every rule the
/// profile states about names, extensions, renewal and validity is checked here, and the certificate's
/// content is decided here. A refusal names the rule: 400 when the request's content breaks it, 403
/// when this client is not allowed what it asks.
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
        if (kind == EnrollmentKind.Reenroll && ReenrollmentRules.CheckRenewal(profile, clientCertificate, now) is { } windowError)
        {
            return windowError;
        }

        Result<(GeneralNames? SubjectAltNames, List<(string, X509Extension)> Copied)> extensions = ApplyExtensionPolicy(csr, profile);
        if (!extensions.IsSuccess)
        {
            return extensions.Error;
        }

        Result<X509Name> subject = SubjectBuilder.Build(csr, profile, clientCertificate.SubjectDN);
        if (!subject.IsSuccess)
        {
            return subject.Error;
        }

        GeneralNames? subjectAltNames = extensions.Value.SubjectAltNames;
        if (kind == EnrollmentKind.Reenroll && !profile.Reenroll.AllowSubjectChange
            && ReenrollmentRules.CheckSameNames(subject.Value, subjectAltNames, clientCertificate) is { } nameError)
        {
            return nameError;
        }

        if (subject.Value.GetOidList().Count == 0 && subjectAltNames is null)
        {
            return EstError.BadRequest("the certificate would have neither a subject nor a subjectAltName; a certificate must name its holder");
        }

        DateTime caEnd = ca.NotAfter.ToUniversalTime();
        if (now.UtcDateTime >= caEnd)
        {
            return EstError.Unavailable("the issuing CA certificate has expired", TimeSpan.FromHours(1));
        }

        // The issuer clamps notAfter to the CA's (RFC 5280 §6); the template says what the profile asks.
        DateTime start = Truncate(now - profile.Backdate);
        DateTime end = Truncate(now + profile.Validity);

        int keyUsage = KeyUsageFor(csr.Key, profile.KeyUsage);
        if (keyUsage == 0)
        {
            // RFC 5280 §4.2.1.3: a keyUsage extension must assert at least one bit.
            return EstError.BadRequest($"none of profile '{profile.Name}''s key usages applies to a {csr.Key} key");
        }

        return new CertificateTemplate(subject.Value, csr.PublicKeyInfo, subjectAltNames, start, end, keyUsage, profile.ExtendedKeyUsages)
        {
            Policies = profile.Policies,
            CopiedExtensions = extensions.Value.Copied,
            BasicConstraintsCritical = profile.BasicConstraintsCritical,
            SerialBytes = profile.SerialBytes,
            Profile = $"{profile.Name}@{profile.Version}",
        };
    }

    private static Result<(GeneralNames?, List<(string, X509Extension)>)> ApplyExtensionPolicy(CertificationRequest csr, CertificateProfile profile)
    {
        GeneralNames? subjectAltNames = null;
        var copied = new List<(string, X509Extension)>();
        if (csr.RequestedExtensions is { } requested)
        {
            foreach (DerObjectIdentifier oid in requested.GetExtensionOids())
            {
                CsrExtensionAction action = profile.CsrExtensions.ActionFor(oid.Id);
                if (action == CsrExtensionAction.Reject)
                {
                    return EstError.BadRequest($"the CSR requests extension {ExtensionName(oid.Id)}, which profile '{profile.Name}' does not accept");
                }

                if (action == CsrExtensionAction.Ignore || CsrExtensionPolicy.ProfileOwned.Contains(oid.Id))
                {
                    continue;
                }

                if (oid.Id == CsrExtensionPolicy.SubjectAltNameOid)
                {
                    subjectAltNames = csr.SubjectAltNames;
                }
                else
                {
                    copied.Add((oid.Id, requested.GetExtension(oid)));
                }
            }
        }

        if (SubjectAltNameChecker.Check(subjectAltNames, profile) is { } sanError)
        {
            return sanError;
        }

        return (subjectAltNames, copied);
    }

    /// <summary>keyEncipherment needs an RSA key and keyAgreement an EC key; other bits apply to any key.</summary>
    private static int KeyUsageFor(SubjectKey key, int profileBits)
    {
        int bits = profileBits;
        if (key.Algorithm != KeyAlgorithm.Rsa)
        {
            bits &= ~KeyUsage.KeyEncipherment;
        }

        if (key.Algorithm != KeyAlgorithm.Ec)
        {
            bits &= ~KeyUsage.KeyAgreement;
        }

        return bits;
    }

    private static string ExtensionName(string oid) => oid switch
    {
        "2.5.29.17" => "subjectAltName",
        "2.5.29.15" => "keyUsage",
        "2.5.29.37" => "extendedKeyUsage",
        "2.5.29.19" => "basicConstraints",
        "2.5.29.14" => "subjectKeyIdentifier",
        _ => oid,
    };

    private static DateTime Truncate(DateTimeOffset time)
    {
        DateTime utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
