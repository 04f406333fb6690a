using EstServer.Core.Issuance;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace EstServer.TestSupport;

/// <summary>OCSP requests (RFC 6960 §4.1) as clients send them, built with BouncyCastle, and their answers read back.</summary>
public static class TestOcspRequest
{
    public static readonly AlgorithmIdentifier Sha1 = new(OiwObjectIdentifiers.IdSha1, DerNull.Instance);

    public static readonly AlgorithmIdentifier Sha256 = new(NistObjectIdentifiers.IdSha256, DerNull.Instance);

    /// <summary>A DER request for the serials (lowercase hex) under <paramref name="issuerDer"/>, SHA-1 CertIDs unless told otherwise.</summary>
    public static byte[] Create(byte[] issuerDer, IEnumerable<string> serials, AlgorithmIdentifier? hash = null, byte[]? nonce = null)
    {
        var issuer = new X509Certificate(issuerDer);
        var generator = new OcspReqGenerator();
        foreach (string serial in serials)
        {
            generator.AddRequest(new CertificateID(hash ?? Sha1, issuer, new BigInteger(serial, 16)));
        }

        if (nonce is not null)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, new DerOctetString(nonce));
            generator.SetRequestExtensions(extensions.Generate());
        }

        return generator.Generate().GetEncoded();
    }

    public static byte[] Create(IssuingCa ca, string serial, AlgorithmIdentifier? hash = null, byte[]? nonce = null) =>
        Create(ca.ChainDer[0], [serial], hash, nonce);

    /// <summary>The response's status (RFC 6960 §4.2.1: 0 successful, 1 malformedRequest, 3 tryLater, 6 unauthorized).</summary>
    public static int Status(byte[] responseDer) => new OcspResp(responseDer).Status;

    /// <summary>The BasicOCSPResponse of a successful answer.</summary>
    public static BasicOcspResp Basic(byte[] responseDer) =>
        new OcspResp(responseDer).GetResponseObject() as BasicOcspResp ?? throw new InvalidOperationException("not a successful basic OCSP response");
}
