namespace EstServer.TestSupport;

public enum TestKeyType
{
    EcP256,
    EcP384,
    EcP521,
    Rsa1024,
    Rsa2048,
    Ed25519,
}
