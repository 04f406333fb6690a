namespace EstServer.Core.Csr;

public enum KeyAlgorithm
{
    Other,
    Rsa,
    Ec,
    Ed25519,
}
