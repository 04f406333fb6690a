using EstServer.Core.Csr;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X9;

namespace EstServer.Core.Profiles;

/// <summary>
/// The CSR Attributes answer (RFC 7030 §4.5.2, clarified by RFC 9908), generated from a profile so it
/// can never drift from what the profile enforces. It carries both forms RFC 9908 §4 allows side by
/// side: the legacy list (key algorithm attributes, the signature algorithm to use) for older clients,
/// and a CertificationRequestInfoTemplate that updated clients use instead.
/// </summary>
public static class CsrAttributes
{
    /// <summary>id-aa-certificationRequestInfoTemplate (RFC 9908).</summary>
    public const string TemplateOid = "1.2.840.113549.1.9.16.2.61";

    /// <summary>id-aa-extensionReqTemplate (RFC 9908).</summary>
    public const string ExtensionRequestTemplateOid = "1.2.840.113549.1.9.16.2.62";

    public static byte[] Encode(CertificateProfile profile)
    {
        var items = new Asn1EncodableVector();
        KeyPolicy keys = profile.Keys;

        // Legacy form, RFC 9908 §3.3: one attribute per key algorithm whose values are its parameters.
        if (keys.AllowedCurves.Count > 0)
        {
            items.Add(Attribute(X9ObjectIdentifiers.IdECPublicKey, keys.AllowedCurves.Order(StringComparer.Ordinal).Select(curve => (Asn1Encodable)SubjectKey.CurveOid(curve)!).ToArray()));
        }

        if (keys.AllowRsa)
        {
            items.Add(Attribute(PkcsObjectIdentifiers.RsaEncryption, DerInteger.ValueOf(keys.MinRsaBits)));
        }

        if (keys.AllowEd25519)
        {
            items.Add(EdECObjectIdentifiers.id_Ed25519);
        }

        if (PreferredSignatureAlgorithm(keys) is { } signature)
        {
            items.Add(signature);
        }

        items.Add(Attribute(new DerObjectIdentifier(TemplateOid), Template(profile)));
        return new DerSequence(items).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>CertificationRequestInfoTemplate: version, subject NameTemplate, [0] key template, [1] attributes.</summary>
    private static DerSequence Template(CertificateProfile profile)
    {
        var template = new Asn1EncodableVector { DerInteger.Zero };
        if (profile.SubjectRules is { } rules)
        {
            // Only what the CSR must carry: required values, and values the profile fixes or copies
            // from the client certificate (given where known). Optional attributes are left out so
            // a client does not take them for demands.
            var rdns = new Asn1EncodableVector();
            foreach (SubjectAttributeRule rule in rules.Where(r => r.Required || r.Source != SubjectValueSource.Csr))
            {
                var single = new Asn1EncodableVector { new DerObjectIdentifier(rule.Oid) };
                if (rule.Source == SubjectValueSource.Fixed && rule.FixedValue is { } value)
                {
                    single.Add(Wire.SubjectValueEncoding.Encode(rule.Oid, value));
                }

                rdns.Add(new DerSet(new DerSequence(single)));
            }

            template.Add(new DerSequence(rdns));
        }

        if (PreferredKeyAlgorithm(profile.Keys) is { } algorithm)
        {
            // subjectPKInfo [0] IMPLICIT SubjectPublicKeyInfoTemplate: the [0] replaces the template's own
            // SEQUENCE tag, whose content is the AlgorithmIdentifier (the key itself is absent).
            template.Add(new DerTaggedObject(false, 0, new DerSequence(new DerSequence(algorithm))));
        }

        var attributes = new Asn1EncodableVector();
        if (ExtensionTemplates(profile) is { Count: > 0 } extensions)
        {
            attributes.Add(Attribute(new DerObjectIdentifier(ExtensionRequestTemplateOid), new DerSequence(extensions)));
        }

        template.Add(new DerTaggedObject(false, 1, new DerSet(attributes)));
        return new DerSequence(template);
    }

    /// <summary>ExtensionTemplate entries (extnID, critical DEFAULT FALSE, extnValue absent) for what the profile honours.</summary>
    private static Asn1EncodableVector ExtensionTemplates(CertificateProfile profile)
    {
        var templates = new Asn1EncodableVector();
        bool sanExpected = profile.SubjectAltNameRules?.Any(rule => rule.Min > 0) ?? false;
        bool sanHonoured = profile.CsrExtensions.ActionFor(CsrExtensionPolicy.SubjectAltNameOid) == CsrExtensionAction.Honour;
        if (sanHonoured && sanExpected)
        {
            templates.Add(new DerSequence(new DerObjectIdentifier(CsrExtensionPolicy.SubjectAltNameOid)));
        }

        return templates;
    }

    /// <summary>RFC 9908 §3.4: the template names one key type; the smallest strong key is what constrained devices want.</summary>
    private static Asn1Encodable[]? PreferredKeyAlgorithm(KeyPolicy keys)
    {
        if (keys.AllowedCurves.Order(StringComparer.Ordinal).FirstOrDefault() is { } curve)
        {
            return [X9ObjectIdentifiers.IdECPublicKey, SubjectKey.CurveOid(curve)!];
        }

        if (keys.AllowEd25519)
        {
            return [EdECObjectIdentifiers.id_Ed25519];
        }

        return keys.AllowRsa ? [PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance] : null;
    }

    /// <summary>RFC 7030 §4.5.2: an OID alone names the signature algorithm the client should sign its CSR with.</summary>
    private static DerObjectIdentifier? PreferredSignatureAlgorithm(KeyPolicy keys) =>
        keys.AllowedCurves.Order(StringComparer.Ordinal).FirstOrDefault() switch
        {
            "P-256" => X9ObjectIdentifiers.ECDsaWithSha256,
            "P-384" => X9ObjectIdentifiers.ECDsaWithSha384,
            "P-521" => X9ObjectIdentifiers.ECDsaWithSha512,
            _ => keys.AllowRsa && !keys.AllowEd25519 ? PkcsObjectIdentifiers.Sha256WithRsaEncryption : null,
        };

    private static DerSequence Attribute(DerObjectIdentifier type, params Asn1Encodable[] values) =>
        new(type, new DerSet(values));
}
