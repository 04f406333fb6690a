using EstServer.Core.Csr;
using EstServer.Host.Configuration;

namespace EstServer.Host.Pki;

/// <summary>Est:KeyBlocklistPath, read the same way by the server, the signer and the dry run.</summary>
public static class KeyBlocklistFile
{
    public static WeakKeyCheck Load(string path)
    {
        try
        {
            return string.IsNullOrWhiteSpace(path) ? WeakKeyCheck.None : WeakKeyCheck.FromFile(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new EstConfigurationException($"cannot load Est:KeyBlocklistPath: {exception.Message}", exception);
        }
    }
}
