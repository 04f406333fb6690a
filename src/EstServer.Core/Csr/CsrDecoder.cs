using System.Formats.Asn1;
using EstServer.Core.Errors;
using EstServer.Core.Wire;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Pkcs10Structure = Org.BouncyCastle.Asn1.Pkcs.CertificationRequest;

namespace EstServer.Core.Csr;

/// <summary>Turns request bytes into a <see cref="CertificationRequest"/> or a 400 naming what is wrong.</summary>
public static class CsrDecoder
{
    public static Result<CertificationRequest> Decode(byte[] der)
    {
        if (!DerStructureGuard.IsWellFormed(der, out string? problem))
        {
            return EstError.BadRequest($"CSR is not valid DER: {problem}");
        }

        ReadOnlyMemory<byte> signedInfo;
        try
        {
            // Framing with the platform's strict DER reader, so the signed bytes are exactly those received.
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            AsnReader request = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            signedInfo = request.ReadEncodedValue();
        }
        catch (AsnContentException)
        {
            return EstError.BadRequest("CSR is not a DER PKCS#10 CertificationRequest");
        }

        CertificationRequestInfo info;
        AlgorithmIdentifier signatureAlgorithm;
        byte[] signature;
        try
        {
            Pkcs10Structure structure = Pkcs10Structure.GetInstance(Asn1Object.FromByteArray(der));
            info = structure.GetCertificationRequestInfo();
            signatureAlgorithm = structure.SignatureAlgorithm;
            signature = structure.Signature.GetOctets();
            _ = info.Subject;
            _ = info.SubjectPublicKeyInfo.Algorithm;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidCastException or IOException or InvalidOperationException or FormatException)
        {
            return EstError.BadRequest("CSR is not a DER PKCS#10 CertificationRequest");
        }

        if (!info.Version.HasValue(0))
        {
            return EstError.BadRequest("CSR version must be v1 (0), RFC 2986 §4.1");
        }

        Result<X509Extensions?> extensions = ReadRequestedExtensions(info);
        if (!extensions.IsSuccess)
        {
            return extensions.Error;
        }

        GeneralNames? subjectAltNames = null;
        if (extensions.Value?.GetExtension(X509Extensions.SubjectAlternativeName) is { } sanExtension)
        {
            Result<GeneralNames> parsed = ReadSubjectAltNames(sanExtension);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }

            subjectAltNames = parsed.Value;
        }

        try
        {
            return new CertificationRequest(der, signedInfo, signatureAlgorithm, signature, info, extensions.Value, subjectAltNames);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            return EstError.BadRequest("CSR subject public key is malformed");
        }
    }

    private static Result<X509Extensions?> ReadRequestedExtensions(CertificationRequestInfo info)
    {
        if (info.Attributes is null)
        {
            return Result<X509Extensions?>.Success(null);
        }

        X509Extensions? found = null;
        try
        {
            foreach (Asn1Encodable element in info.Attributes)
            {
                AttributePkcs attribute = AttributePkcs.GetInstance(element);
                if (!PkcsObjectIdentifiers.Pkcs9AtExtensionRequest.Equals(attribute.AttrType))
                {
                    continue;
                }

                if (found is not null || attribute.AttrValues.Count != 1)
                {
                    return EstError.BadRequest("CSR has more than one extensionRequest attribute value (RFC 2985 §5.4.2)");
                }

                found = X509Extensions.GetInstance(attribute.AttrValues[0]);
            }
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            return EstError.BadRequest("CSR extensionRequest attribute is malformed");
        }

        return Result<X509Extensions?>.Success(found);
    }

    private static Result<GeneralNames> ReadSubjectAltNames(X509Extension extension)
    {
        byte[] value = extension.Value.GetOctets();
        if (!DerStructureGuard.IsWellFormed(value, out string? problem))
        {
            return EstError.BadRequest($"CSR subjectAltName is not valid DER: {problem}");
        }

        try
        {
            GeneralNames names = GeneralNames.GetInstance(Asn1Object.FromByteArray(value));
            if (names.GetNames().Length == 0)
            {
                return EstError.BadRequest("CSR subjectAltName is empty (RFC 5280 §4.2.1.6)");
            }

            return names;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            return EstError.BadRequest("CSR subjectAltName is malformed");
        }
    }
}
