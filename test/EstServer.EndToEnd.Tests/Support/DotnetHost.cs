namespace EstServer.EndToEnd.Tests.Support;

/// <summary>The dotnet executable that runs these tests, used to run the built server as a user would.</summary>
public static class DotnetHost
{
    public static string Path =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Clears what the test environment could leak into the server's configuration.</summary>
    public static void IsolateEnvironment(IDictionary<string, string?> environment, string configDirectory)
    {
        foreach (string name in environment.Keys.ToList())
        {
            if (name.StartsWith("Est__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
                || name is "EST_DATA_DIR" or "EST_CONFIG_DIR" or "DOTNET_URLS" or "DOTNET_ENVIRONMENT")
            {
                environment.Remove(name);
            }
        }

        environment["EST_CONFIG_DIR"] = configDirectory;
        // Servers run side by side: each gets an ephemeral CRL/OCSP port instead of the default 8080
        // (a test that needs a known port passes --Est:Revocation:HttpUrl, which outranks this).
        environment["Est__Revocation__HttpUrl"] = "http://127.0.0.1:0";
    }
}
