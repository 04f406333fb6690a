using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace EstServer.Core.Issuance;

/// <summary>
/// Turns a <see cref="CertificateTemplate"/> into a signed X.509 v3 certificate. This is the only code
/// that mints certificates: enrollments, the development PKI and the dry run's sample all come here.
/// </summary>
public sealed class CertificateIssuer
{
    private readonly IssuingCa _ca;
    private readonly SignerSignatureFactory _signatureFactory;
    private readonly IReadOnlyList<(DerObjectIdentifier Oid, Asn1Encodable Value)> _revocationExtensions;

    /// <param name="endpoints">When set, every certificate from <see cref="Issue"/> says where to check its revocation.</param>
    public CertificateIssuer(IssuingCa ca, ICertificateSigner signer, RevocationEndpoints? endpoints = null)
    {
        _ca = ca;
        _signatureFactory = new SignerSignatureFactory(signer);
        Endpoints = endpoints;
        _revocationExtensions = endpoints is null ? [] : RevocationPointers.For(endpoints, ca.KeyIdHex);
    }

    public RevocationEndpoints? Endpoints { get; }

    public IssuingCa Ca => _ca;

    public IssuedCertificate Issue(CertificateTemplate template)
    {
        // RFC 5280 §6: path validation fails for a certificate that outlives its issuer, so no template
        // gets past the CA's own notAfter.
        DateTime caEnd = _ca.NotAfter.ToUniversalTime();
        CertificateTemplate bounded = template.NotAfter > caEnd ? template with { NotAfter = caEnd } : template;
        return Generate(bounded, _ca.Subject, _ca.AuthorityKeyIdentifier, _signatureFactory, _revocationExtensions);
    }

    /// <summary>
    /// A self-signed certificate: a root, signed by its own key. RFC 5280 §4.2.1.1 lets a self-signed
    /// certificate omit the authority key identifier, and it does.
    /// </summary>
    public static IssuedCertificate IssueSelfSigned(CertificateTemplate template, ICertificateSigner signer) =>
        Generate(template, template.Subject, authorityKeyIdentifier: null, new SignerSignatureFactory(signer), revocationExtensions: []);

    private static IssuedCertificate Generate(
        CertificateTemplate template,
        X509Name issuer,
        AuthorityKeyIdentifier? authorityKeyIdentifier,
        SignerSignatureFactory signatureFactory,
        IReadOnlyList<(DerObjectIdentifier Oid, Asn1Encodable Value)> revocationExtensions)
    {
        BigInteger serial = SerialNumbers.Next(template.SerialBytes);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(serial);
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(template.Subject);
        generator.SetNotBefore(template.NotBefore);
        generator.SetNotAfter(template.NotAfter);
        generator.SetSubjectPublicKeyInfo(template.PublicKey);

        // RFC 5280 §4.2.1.9: end-entity certificates may omit basicConstraints, but stating cA=FALSE
        // (critical) stops any relying party from mistaking a device certificate for a CA.
        BasicConstraints basicConstraints = template.Ca switch
        {
            null => new BasicConstraints(false),
            { PathLength: int length } => new BasicConstraints(length),
            _ => new BasicConstraints(true),
        };
        generator.AddExtension(X509Extensions.BasicConstraints, template.BasicConstraintsCritical, basicConstraints);
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(template.KeyUsage));
        if (template.ExtendedKeyUsages.Count > 0)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
                new ExtendedKeyUsage(template.ExtendedKeyUsages.Select(oid => new DerObjectIdentifier(oid))));
        }

        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false,
            X509ExtensionUtilities.CreateSubjectKeyIdentifier(template.PublicKey));
        if (authorityKeyIdentifier is not null)
        {
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, authorityKeyIdentifier);
        }

        if (template.SubjectAltNames is not null)
        {
            // RFC 5280 §4.2.1.6: critical when the subject is empty. The parsed GeneralNames is passed,
            // not the CSR's octets, which the generator would wrap a second time.
            bool emptySubject = template.Subject.GetOidList().Count == 0;
            generator.AddExtension(X509Extensions.SubjectAlternativeName, emptySubject, template.SubjectAltNames);
        }

        if (template.Policies.Count > 0)
        {
            generator.AddExtension(X509Extensions.CertificatePolicies, false, CertificatePolicyEncoder.Encode(template.Policies));
        }

        foreach ((DerObjectIdentifier oid, Asn1Encodable value) in revocationExtensions)
        {
            generator.AddExtension(oid, false, value);
        }

        foreach ((string oid, X509Extension extension) in template.CopiedExtensions)
        {
            // A renewal CSR copies the old certificate's CDP and AIA; ours are the current ones, and
            // RFC 5280 §4.2 forbids a second instance of an extension.
            if (revocationExtensions.Any(ours => ours.Oid.Id == oid))
            {
                continue;
            }

            // The parsed value, not the octets: the generator would wrap raw octets a second time.
            generator.AddExtension(new DerObjectIdentifier(oid), extension.IsCritical, extension.GetParsedValue());
        }

        X509Certificate certificate = generator.Generate(signatureFactory);
        return new IssuedCertificate(
            certificate.GetEncoded(),
            serial.ToString(16),
            template.Subject.ToString(),
            template.NotAfter);
    }
}
