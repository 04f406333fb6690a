namespace EstServer.LoadGen.Hostile;

/// <summary>The keys the generator can put in a CSR: the ones the shipped profiles allow, and ones they must refuse.</summary>
public enum KeyKind
{
    EcP256,
    EcP384,
    EcP521,
    EcSecp256k1,
    EcBrainpoolP256,
    Ed25519,
    Ed448,
    Rsa1024,
    Rsa2048,
}
