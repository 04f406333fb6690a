using System.Security.Cryptography;
using EstServer.Core.Csr;
using CertificationRequest = EstServer.Core.Csr.CertificationRequest;
using EstServer.Core.Errors;
using EstServer.Core.Issuance;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace EstServer.Core.Tests.Support;

public enum CsrKey
{
    EcP256,
    EcP384,
    Rsa2048,
    Ed25519,
}

/// <summary>
/// CSRs and certificates with exactly the names and extensions a profile test needs, in exactly the
/// order given (BouncyCastle keeps the order; .NET's X500 string parser reverses it).
/// </summary>
internal static class RequestFactory
{
    public static X509Name Name(params (DerObjectIdentifier Type, string Value)[] attributes) =>
        new(attributes.Select(a => a.Type).ToList(), attributes.Select(a => a.Value).ToList());

    public static GeneralNames Dns(params string[] names) =>
        new(names.Select(name => new GeneralName(GeneralName.DnsName, name)).ToArray());

    public static X509Extensions Extensions(params (DerObjectIdentifier Oid, bool Critical, Asn1Encodable Value)[] extensions)
    {
        var generator = new X509ExtensionsGenerator();
        foreach ((DerObjectIdentifier oid, bool critical, Asn1Encodable value) in extensions)
        {
            generator.AddExtension(oid, critical, value);
        }

        return generator.Generate();
    }

    public static X509Extensions SubjectAltName(GeneralNames names) => Extensions((X509Extensions.SubjectAlternativeName, false, names));

    public static AsymmetricCipherKeyPair NewKey(CsrKey key)
    {
        switch (key)
        {
            case CsrKey.Rsa2048:
                using (RSA rsa = RSA.Create(2048))
                {
                    return DotNetUtilities.GetRsaKeyPair(rsa);
                }

            case CsrKey.Ed25519:
                var ed = new Ed25519KeyPairGenerator();
                ed.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
                return ed.GenerateKeyPair();
            default:
                var ec = new ECKeyPairGenerator();
                ec.Init(new ECKeyGenerationParameters(key == CsrKey.EcP384 ? SecObjectIdentifiers.SecP384r1 : SecObjectIdentifiers.SecP256r1, new SecureRandom()));
                return ec.GenerateKeyPair();
        }
    }

    public static byte[] NewCsr(X509Name subject, CsrKey key = CsrKey.EcP256, X509Extensions? extensions = null) =>
        NewCsr(subject, NewKey(key), extensions);

    public static byte[] NewCsr(X509Name subject, AsymmetricCipherKeyPair pair, X509Extensions? extensions = null)
    {
        string algorithm = pair.Public switch
        {
            RsaKeyParameters => "SHA256withRSA",
            Ed25519PublicKeyParameters => "Ed25519",
            ECPublicKeyParameters ec when ec.Parameters.Curve.FieldSize > 256 => "SHA384withECDSA",
            _ => "SHA256withECDSA",
        };
        Asn1Set? attributes = extensions is null
            ? null
            : new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions)));
        return new Pkcs10CertificationRequest(new Asn1SignatureFactory(algorithm, pair.Private), subject, pair.Public, attributes).GetEncoded();
    }

    public static CertificationRequest Decode(byte[] der)
    {
        Result<CertificationRequest> result = CsrDecoder.Decode(der);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Reason);
        return result.Value;
    }

    /// <summary>A client certificate with the given names, signed by <paramref name="issuer"/>'s CA.</summary>
    public static X509Certificate Certificate(CertificateIssuer issuer, X509Name subject, GeneralNames? subjectAltNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        AsymmetricCipherKeyPair pair = NewKey(CsrKey.EcP256);
        var template = new CertificateTemplate(
            subject,
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public),
            subjectAltNames,
            notBefore.UtcDateTime,
            notAfter.UtcDateTime,
            KeyUsage.DigitalSignature,
            ["1.3.6.1.5.5.7.3.2"])
        {
            // As if issued under a TestProfile-based profile (its default policy), which is what lets
            // it renew under such a profile.
            Policies = [new EstServer.Core.Profiles.CertificatePolicy("2.999.42.1")],
        };
        return new X509Certificate(issuer.Issue(template).Der);
    }
}
