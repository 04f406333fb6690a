using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Issuance;

/// <summary>
/// The issuing CA's private key, and nothing else that touches it. Today a key file; an HSM or PKCS#11
/// token fits behind the same two members.
/// </summary>
public interface ICertificateSigner
{
    /// <summary>The signatureAlgorithm written into certificates this signer signs.</summary>
    AlgorithmIdentifier SignatureAlgorithm { get; }

    byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>Checks a signature with the matching public key; used to prove the key fits the CA certificate.</summary>
    bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
}
