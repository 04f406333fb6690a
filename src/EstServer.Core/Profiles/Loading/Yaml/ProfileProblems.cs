namespace EstServer.Core.Profiles.Loading.Yaml;

/// <summary>
/// The problems found in one profile file, in the order found. Reading carries on after each one, so
/// that a single run reports every problem rather than the first.
/// </summary>
internal sealed class ProfileProblems(List<ProfileDiagnostic> diagnostics)
{
    public int Count => diagnostics.Count;

    public void Add(ProfileDiagnostic diagnostic) => diagnostics.Add(diagnostic);

    public void Add(LocatedNode node, string rule, string message) => diagnostics.Add(node.Problem(rule, message));

    public void AddRange(IEnumerable<ProfileDiagnostic> found) => diagnostics.AddRange(found);
}
