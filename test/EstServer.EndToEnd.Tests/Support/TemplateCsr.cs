using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// A PKCS#10 request built the way an RFC 9908 client follows a csrattrs template: the key type and
/// curve it names, the signature algorithm the answer lists, the subject attributes in template order
/// (fixed values copied as sent, blanks filled in by the caller) and a subjectAltName when the template
/// asks for one.
/// </summary>
public sealed class TemplateCsr : IDisposable
{
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";

    public const string SubjectAltNameOid = "2.5.29.17";

    private TemplateCsr(byte[] der, ECDsa key)
    {
        Der = der;
        Key = key;
    }

    public byte[] Der { get; }

    public ECDsa Key { get; }

    /// <param name="fill">Values for the template's blank subject attributes, by attribute OID.</param>
    /// <param name="dnsNames">Written into a subjectAltName only if the template asks for one.</param>
    public static TemplateCsr Follow(CsrAttrsResponse answer, IReadOnlyDictionary<string, string> fill, IReadOnlyList<string> dnsNames)
    {
        CsrTemplate template = answer.Template ?? throw new AssertionException("the csrattrs answer carries no CertificationRequestInfoTemplate");
        if (template.KeyAlgorithmOid != EcPublicKeyOid || template.KeyParameterOid is null)
        {
            Assert.Fail($"this client follows EC key templates only; the template names {template.KeyAlgorithmOid} {template.KeyParameterOid}");
        }

        var key = ECDsa.Create(ECCurve.CreateFromValue(template.KeyParameterOid!));
        var request = new CertificateRequest(new X500DistinguishedName(Name(template, fill)), key, SignatureHash(answer));
        if (template.ExtensionTemplateOids.Contains(SubjectAltNameOid))
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                names.AddDnsName(name);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        return new TemplateCsr(request.CreateSigningRequest(), key);
    }

    public void Dispose() => Key.Dispose();

    /// <summary>RFC 7030 §4.5.2: a bare signature algorithm OID in the answer says how to sign the CSR.</summary>
    private static HashAlgorithmName SignatureHash(CsrAttrsResponse answer) =>
        answer.BareOids.Contains("1.2.840.10045.4.3.4") ? HashAlgorithmName.SHA512
        : answer.BareOids.Contains("1.2.840.10045.4.3.3") ? HashAlgorithmName.SHA384
        : HashAlgorithmName.SHA256;

    private static byte[] Name(CsrTemplate template, IReadOnlyDictionary<string, string> fill)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (TemplateAttribute attribute in template.Subject)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(attribute.Oid);
                    if (attribute.EncodedValue is { } value)
                    {
                        writer.WriteEncodedValue(value);
                    }
                    else if (fill.TryGetValue(attribute.Oid, out string? text))
                    {
                        // X.520: serialNumber and countryName are PrintableString; the rest UTF8String.
                        writer.WriteCharacterString(attribute.Oid is "2.5.4.5" or "2.5.4.6" ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String, text);
                    }
                    else
                    {
                        Assert.Fail($"the template asks for subject attribute {attribute.Oid}, which the test has no value for");
                    }
                }
            }
        }

        return writer.Encode();
    }
}
