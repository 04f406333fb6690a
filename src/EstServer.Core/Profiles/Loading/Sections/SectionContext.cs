using EstServer.Core.Profiles.Loading.Yaml;

namespace EstServer.Core.Profiles.Loading.Sections;

/// <summary>
/// What a section reader needs besides its fields: the file (trust anchors are found relative to it),
/// the facts about the server some rules depend on, and where problems go.
/// </summary>
internal sealed record SectionContext(string File, ProfileLoadContext Load, ProfileProblems Problems)
{
    public void Report(LocatedNode node, string rule, string message) => Problems.Add(node, rule, message);
}
