using YamlDotNet.RepresentationModel;

namespace EstServer.Core.Profiles.Loading.Yaml;

/// <summary>
/// A node of a profile file together with the file, so that a problem found with it, while reading or
/// by a validator afterwards, is reported where it was written and an editor can jump there.
/// </summary>
internal sealed record LocatedNode(string File, YamlNode Node)
{
    public int Line => (int)Node.Start.Line;

    public int Column => (int)Node.Start.Column;

    public ProfileDiagnostic Problem(string rule, string message) => new(File, Line, Column, rule, message);
}
