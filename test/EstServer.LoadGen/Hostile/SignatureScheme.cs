namespace EstServer.LoadGen.Hostile;

/// <summary>How a CSR is signed: the AlgorithmIdentifier written and the BouncyCastle signer that makes the signature.</summary>
public enum SignatureScheme
{
    EcdsaSha256,
    EcdsaSha384,
    EcdsaSha1,
    RsaSha256,
    RsaSha1,
    RsaMd5,
    RsaPssSha256,
    RsaPssSha1Default,
    Ed25519,
    Ed448,
}
