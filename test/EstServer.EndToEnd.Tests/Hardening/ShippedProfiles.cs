using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Hardening;

/// <summary>The repository's own profiles (config/profiles), which the hostile campaign's expected answers are written against.</summary>
public static class ShippedProfiles
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "config", "profiles");

    /// <summary>Copies config/profiles/*.yaml into the server's profile directory (for EstTestServerOptions.WriteProfiles).</summary>
    public static void CopyTo(string profilesDirectory)
    {
        foreach (string file in System.IO.Directory.GetFiles(Directory, "*.yaml"))
        {
            File.Copy(file, Path.Combine(profilesDirectory, Path.GetFileName(file)));
        }
    }
}
