using Org.BouncyCastle.Crypto;

namespace EstServer.Core.Issuance;

/// <summary>Lets BouncyCastle's certificate builder sign through an <see cref="ICertificateSigner"/>.</summary>
internal sealed class SignerSignatureFactory(ICertificateSigner signer) : ISignatureFactory
{
    public object AlgorithmDetails => signer.SignatureAlgorithm;

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(signer);

    private sealed class Calculator(ICertificateSigner signer) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _buffer = new(capacity: 1024);

        public Stream Stream => _buffer;

        // BouncyCastle disposes the stream before asking for the result; ToArray still works then.
        public IBlockResult GetResult() => new SimpleBlockResult(signer.Sign(_buffer.ToArray()));
    }
}
