namespace EstServer.TestSupport;

/// <summary>Locates the repository and the built server, so tests can run it as a user would.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release); the server was built alongside.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerAssembly =>
        Path.Combine(Root, "src", "EstServer.Host", "bin", Configuration, "net10.0", "estserver.dll");

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EstServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"EstServer.sln not found above {AppContext.BaseDirectory}");
    }
}
