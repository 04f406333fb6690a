namespace EstServer.Core.Profiles.Loading;

/// <summary>
/// Reads every *.yaml / *.yml file of a profile directory into one catalog. The set is valid only as a
/// whole: any problem in any file, or between files (a label claimed twice, two default profiles),
/// rejects it, and every problem is reported, not just the first.
/// </summary>
public static class ProfileDirectoryLoader
{
    public static ProfileLoadResult Load(string directory, ProfileLoadContext context)
    {
        var diagnostics = new List<ProfileDiagnostic>();
        if (!Directory.Exists(directory))
        {
            diagnostics.Add(new ProfileDiagnostic(directory, 0, 0, "directory", "profile directory does not exist"));
            return new ProfileLoadResult(null, diagnostics);
        }

        string[] files = ProfileFiles(directory);
        if (files.Length == 0)
        {
            diagnostics.Add(new ProfileDiagnostic(directory, 0, 0, "directory", "no profile files (*.yaml) in the directory"));
            return new ProfileLoadResult(null, diagnostics);
        }

        var read = new List<ProfileFile>();
        foreach (string file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new ProfileDiagnostic(file, 0, 0, "file", $"cannot read: {exception.Message}"));
                continue;
            }

            read.Add(ProfileYamlReader.Read(file, text, context, diagnostics));
        }

        CheckAcrossFiles(read, diagnostics);
        if (diagnostics.Count > 0)
        {
            return new ProfileLoadResult(null, diagnostics);
        }

        return new ProfileLoadResult(new ProfileCatalog(read.Select(r => r.Profile!).ToArray()), diagnostics);
    }

    /// <summary>The files that make up a profile set, in a stable order.</summary>
    public static string[] ProfileFiles(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
            .Where(path => !Path.GetFileName(path).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static void CheckAcrossFiles(List<ProfileFile> files, List<ProfileDiagnostic> diagnostics)
    {
        var names = new Dictionary<string, ProfileFile>(StringComparer.Ordinal);
        var labels = new Dictionary<string, (ProfileFile File, int Line)>(StringComparer.Ordinal);
        ProfileFile? defaultProfile = null;
        foreach (ProfileFile file in files)
        {
            if (file.Name is { } name && !names.TryAdd(name, file))
            {
                diagnostics.Add(new ProfileDiagnostic(file.File, file.NameAt.Line, file.NameAt.Column, "duplicate-name",
                    $"profile name '{name}' is already used by {names[name].File}"));
            }

            foreach ((string label, int line, int column) in file.Labels)
            {
                if (!labels.TryAdd(label, (file, line)))
                {
                    (ProfileFile first, int firstLine) = labels[label];
                    diagnostics.Add(new ProfileDiagnostic(file.File, line, column, "duplicate-label",
                        $"label '{label}' is already served by profile '{first.Name}' ({first.File}:{firstLine})"));
                }
            }

            if (file.DefaultAt is { } at)
            {
                if (defaultProfile is not null)
                {
                    diagnostics.Add(new ProfileDiagnostic(file.File, at.Line, at.Column, "duplicate-default",
                        $"profile '{defaultProfile.Name}' ({defaultProfile.File}) already serves the unlabelled route"));
                }
                else
                {
                    defaultProfile = file;
                }
            }
        }
    }
}
