using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EstServer.Core.Profiles.Loading.Yaml;

/// <summary>
/// Parses a profile file into its node tree rather than deserialising it, so that what comes after can
/// report every problem, a misspelt field included, at the line and column where it was written.
/// </summary>
internal static class ProfileYamlDocument
{
    /// <summary>The file's one top-level mapping, or null once the reason there is none is reported.</summary>
    public static LocatedNode? Parse(string file, string text, ProfileProblems problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            problems.Add(new ProfileDiagnostic(file, (int)exception.Start.Line, (int)exception.Start.Column, "yaml", exception.Message.ReplaceLineEndings(" ")));
            return null;
        }
        catch (InvalidOperationException exception)
        {
            // YamlDotNet reports some malformed documents (an unclosed flow list before the next key)
            // this way, without a position; the whole file is named instead.
            problems.Add(new ProfileDiagnostic(file, 1, 1, "yaml", $"not valid YAML: {exception.Message.ReplaceLineEndings(" ")}"));
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ProfileDiagnostic(file, 1, 1, "yaml", "a profile file holds exactly one YAML mapping (name: ..., policies: ..., ...)"));
            return null;
        }

        return new LocatedNode(file, root);
    }
}
