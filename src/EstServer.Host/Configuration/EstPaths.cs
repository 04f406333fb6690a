namespace EstServer.Host.Configuration;

/// <summary>Where configuration lives when nothing says otherwise.</summary>
public static class EstPaths
{
    /// <summary>$EST_CONFIG_DIR, else ./config: holds estserver.json and profiles/.</summary>
    public static string ConfigDirectory =>
        Environment.GetEnvironmentVariable("EST_CONFIG_DIR") is { Length: > 0 } configured ? configured : "config";

    /// <summary>$EST_DATA_DIR, else ./data.</summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("EST_DATA_DIR") is { Length: > 0 } configured ? configured : "data";

    public static string DefaultProfilesDirectory => Path.Combine(ConfigDirectory, "profiles");
}
