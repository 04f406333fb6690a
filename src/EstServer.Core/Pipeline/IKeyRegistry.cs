namespace EstServer.Core.Pipeline;

/// <summary>
/// Which identity each certified public key belongs to, so one key is never certified to two
/// identities (a cloned or shared device key). Claims expire with the certificates they stand for.
/// </summary>
public interface IKeyRegistry
{
    /// <summary>
    /// Claims the key for the owner; returns the other owner if someone else holds it, else null. Throws
    /// <see cref="Pipeline.SigningDeferredException"/> when the registry cannot be reached.
    /// </summary>
    string? Claim(string keyHash, string owner, TimeSpan lifetime);
}
