namespace EstServer.Core.Profiles.Loading;

/// <summary>
/// The profile a server on the development PKI serves when it has no profile directory. It is YAML
/// (embedded BuiltInProfile.yaml) read by the same reader and rules as a profile file, so it can be no
/// more permissive than a file would be allowed to be: a restrictive device profile, not a fallback
/// that accepts any subject.
/// </summary>
public static class BuiltInProfile
{
    /// <summary>Names the built-in profile in diagnostics and as its source file; no such file exists.</summary>
    public const string FileName = "(built-in)/default.yaml";

    private const string ResourceName = "EstServer.Core.Profiles.Loading.BuiltInProfile.yaml";

    public static string Yaml { get; } = ReadResource();

    /// <param name="context">Must resolve <c>dev:manufacturer</c>, the development PKI's demo manufacturer CA.</param>
    public static ProfileLoadResult Load(ProfileLoadContext context)
    {
        var diagnostics = new List<ProfileDiagnostic>();
        ProfileFile file = ProfileYamlReader.Read(FileName, Yaml, context, diagnostics);
        return file.Profile is { } profile && diagnostics.Count == 0
            ? new ProfileLoadResult(new ProfileCatalog([profile]), diagnostics)
            : new ProfileLoadResult(null, diagnostics);
    }

    private static string ReadResource()
    {
        using Stream stream = typeof(BuiltInProfile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(BuiltInProfile).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
