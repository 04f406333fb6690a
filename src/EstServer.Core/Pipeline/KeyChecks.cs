using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Profiles;

namespace EstServer.Core.Pipeline;

/// <summary>
/// The key-checks phase: the profile's key policy (algorithm, size, curve), then the keys that are weak
/// whatever the profile says (the configured blocklist, broken RSA structure). The duplicate-key claim
/// is the last key check but runs later, in <see cref="DuplicateKeyCheck"/>: it needs the identity the
/// certificate will name, and it writes.
/// </summary>
public sealed class KeyChecks(WeakKeyCheck weakKeys)
{
    public static KeyChecks PolicyOnly { get; } = new(WeakKeyCheck.None);

    public EstError? Check(CertificateProfile profile, CertificationRequest csr) =>
        profile.Keys.Check(csr.Key) ?? weakKeys.Check(csr.PublicKeyInfo);
}
