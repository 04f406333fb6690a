using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace EstServer.Core.Issuance;

/// <summary>Signs with the platform's ECDSA (OpenSSL on Linux), which is several times faster than managed code.</summary>
public sealed class EcdsaCertificateSigner : ICertificateSigner, IDisposable
{
    private readonly ECDsa _key;
    private readonly HashAlgorithmName _hash;

    public EcdsaCertificateSigner(ECDsa key)
    {
        _key = key;
        // RFC 5480 §4: pair the hash strength with the curve.
        (_hash, SignatureAlgorithm) = key.KeySize switch
        {
            <= 256 => (HashAlgorithmName.SHA256, new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256)),
            <= 384 => (HashAlgorithmName.SHA384, new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha384)),
            _ => (HashAlgorithmName.SHA512, new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha512)),
        };
    }

    public AlgorithmIdentifier SignatureAlgorithm { get; }

    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, _hash, DSASignatureFormat.Rfc3279DerSequence);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, _hash, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => _key.Dispose();
}
