using System.Security.Cryptography;
using EstServer.Core.Trust;

namespace EstServer.Core.Profiles.Loading;

/// <summary>
/// Resolves a profile's trust-anchor entries: PEM paths relative to the profile file, or named built-in
/// anchors such as <c>dev:manufacturer</c> (the development PKI's demo manufacturer CA).
/// </summary>
public sealed class TrustAnchorResolver(IReadOnlyDictionary<string, string> builtIn)
{
    public const string Prefix = "dev:";

    public (TrustAnchors? Anchors, string? Problem) Resolve(string entry, string profileDirectory)
    {
        string path;
        if (entry.StartsWith(Prefix, StringComparison.Ordinal))
        {
            if (!builtIn.TryGetValue(entry, out string? builtInPath))
            {
                return (null, builtIn.Count == 0
                    ? $"'{entry}' names a development PKI anchor, but this server runs on a configured CA; list PEM files instead"
                    : $"unknown built-in anchor '{entry}' (known: {string.Join(", ", builtIn.Keys)})");
            }

            path = builtInPath;
        }
        else
        {
            path = Path.GetFullPath(Path.Combine(profileDirectory, entry));
        }

        try
        {
            return (TrustAnchors.LoadPemFiles(entry, [path]), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or InvalidDataException)
        {
            return (null, $"cannot read trust anchor '{entry}' ({path}): {exception.Message}");
        }
    }
}
