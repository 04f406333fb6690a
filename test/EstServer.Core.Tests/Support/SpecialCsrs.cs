using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace EstServer.Core.Tests.Support;

/// <summary>Correctly signed CSRs with unusual contents, which <c>TestCsr</c> does not make.</summary>
internal static class SpecialCsrs
{
    /// <summary>A P-256 CSR whose subjectAltName extension holds exactly <paramref name="extensionValue"/>.</summary>
    public static byte[] WithSubjectAltNameValue(byte[] extensionValue, string subject = "CN=device-raw-san")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509Extension("2.5.29.17", extensionValue, false));
        return request.CreateSigningRequest();
    }

    /// <summary>An RSA-2048 CSR signed with RSASSA-PSS (RFC 4055), which the verifier hands to BouncyCastle.</summary>
    public static byte[] RsaPss(string subject)
    {
        using var key = RSA.Create(2048);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss).CreateSigningRequest();
    }

    /// <summary>A CSR signed with a BouncyCastle algorithm name, e.g. "SHA1withECDSA" or "SHA224withECDSA".</summary>
    public static byte[] EcSignedWith(string algorithm, string subject = "CN=device-bc")
    {
        AsymmetricCipherKeyPair pair = NewEcKeyPair();
        return new Pkcs10CertificationRequest(new Asn1SignatureFactory(algorithm, pair.Private), new X509Name(subject), pair.Public, null).GetEncoded();
    }

    /// <summary>An RSA-2048 CSR signed with a BouncyCastle algorithm name, e.g. "SHA1withRSA", which .NET no longer produces.</summary>
    public static byte[] RsaSignedWith(string algorithm, string subject = "CN=device-bc-rsa")
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        AsymmetricCipherKeyPair pair = DotNetUtilities.GetRsaKeyPair(rsa);
        return new Pkcs10CertificationRequest(new Asn1SignatureFactory(algorithm, pair.Private), new X509Name(subject), pair.Public, null).GetEncoded();
    }

    /// <summary>A P-256 CSR carrying the given attributes, signed correctly.</summary>
    public static byte[] EcWithAttributes(Asn1Set attributes, string subject = "CN=device-attributes")
    {
        AsymmetricCipherKeyPair pair = NewEcKeyPair();
        return new Pkcs10CertificationRequest(new Asn1SignatureFactory("SHA256withECDSA", pair.Private), new X509Name(subject), pair.Public, attributes).GetEncoded();
    }

    public static AttributePkcs ExtensionRequest(params string[] dnsNames)
    {
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.SubjectAlternativeName, false,
            new GeneralNames(dnsNames.Select(name => new GeneralName(GeneralName.DnsName, name)).ToArray()));
        return new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate()));
    }

    /// <summary>The same request with another version number: the signature no longer matches, the decoder must not care.</summary>
    public static byte[] WithVersion(byte[] csrDer, int version)
    {
        AsnReader request = new AsnReader(csrDer, AsnEncodingRules.DER).ReadSequence();
        AsnReader info = request.ReadSequence();
        _ = info.ReadInteger();
        ReadOnlyMemory<byte> rest = info.ReadEncodedValue();
        var restOfInfo = new List<ReadOnlyMemory<byte>> { rest };
        while (info.HasData)
        {
            restOfInfo.Add(info.ReadEncodedValue());
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(version);
                foreach (ReadOnlyMemory<byte> element in restOfInfo)
                {
                    writer.WriteEncodedValue(element.Span);
                }
            }

            while (request.HasData)
            {
                writer.WriteEncodedValue(request.ReadEncodedValue().Span);
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// The request with its subjectPublicKeyInfo and/or signatureAlgorithm replaced by raw DER, for keys
    /// and parameters no library would produce. The signature is left as it was.
    /// </summary>
    public static byte[] WithRawParts(byte[] csrDer, byte[]? publicKeyInfo = null, byte[]? signatureAlgorithm = null)
    {
        AsnReader request = new AsnReader(csrDer, AsnEncodingRules.DER).ReadSequence();
        AsnReader info = request.ReadSequence();
        ReadOnlyMemory<byte> version = info.ReadEncodedValue();
        ReadOnlyMemory<byte> subject = info.ReadEncodedValue();
        ReadOnlyMemory<byte> originalKey = info.ReadEncodedValue();
        var rest = new List<ReadOnlyMemory<byte>>();
        while (info.HasData)
        {
            rest.Add(info.ReadEncodedValue());
        }

        ReadOnlyMemory<byte> originalAlgorithm = request.ReadEncodedValue();
        ReadOnlyMemory<byte> signature = request.ReadEncodedValue();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(version.Span);
                writer.WriteEncodedValue(subject.Span);
                writer.WriteEncodedValue(publicKeyInfo ?? originalKey.Span);
                foreach (ReadOnlyMemory<byte> element in rest)
                {
                    writer.WriteEncodedValue(element.Span);
                }
            }

            writer.WriteEncodedValue(signatureAlgorithm ?? originalAlgorithm.Span);
            writer.WriteEncodedValue(signature.Span);
        }

        return writer.Encode();
    }

    /// <summary>A subjectPublicKeyInfo with the given algorithm OID, optional encoded parameters, and key bits.</summary>
    public static byte[] PublicKeyInfo(string algorithmOid, byte[]? parameters, byte[] keyBits)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(algorithmOid);
                if (parameters is not null)
                {
                    writer.WriteEncodedValue(parameters);
                }
            }

            writer.WriteBitString(keyBits);
        }

        return writer.Encode();
    }

    private static AsymmetricCipherKeyPair NewEcKeyPair()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        return generator.GenerateKeyPair();
    }
}
