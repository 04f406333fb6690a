using EstServer.Core.Issuance;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Support;

/// <summary>A signer whose key fails for the first few signatures, as an HSM that drops out might.</summary>
internal sealed class FailingSigner(ICertificateSigner inner, int failures) : ICertificateSigner
{
    private int _remainingFailures = failures;

    public AlgorithmIdentifier SignatureAlgorithm => inner.SignatureAlgorithm;

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        Interlocked.Decrement(ref _remainingFailures) >= 0 ? throw new InvalidOperationException("the signing key is unavailable") : inner.Sign(data);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => inner.Verify(data, signature);
}
