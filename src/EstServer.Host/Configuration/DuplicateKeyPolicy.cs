namespace EstServer.Host.Configuration;

/// <summary>Est:DuplicateKeys: whether a public key already certified to another identity is refused.</summary>
public enum DuplicateKeyPolicy
{
    Refuse,
    Allow,
}
