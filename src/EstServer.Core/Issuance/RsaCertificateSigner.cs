using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Issuance;

/// <summary>Signs with the platform's RSA (OpenSSL), PKCS#1 v1.5 with SHA-256: what every device verifies.</summary>
public sealed class RsaCertificateSigner : ICertificateSigner, IDisposable
{
    private readonly RSA _key;

    public RsaCertificateSigner(RSA key) => _key = key;

    // RFC 4055 §5: the parameters of sha256WithRSAEncryption are an explicit NULL.
    public AlgorithmIdentifier SignatureAlgorithm { get; } = new(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance);

    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Dispose() => _key.Dispose();
}
