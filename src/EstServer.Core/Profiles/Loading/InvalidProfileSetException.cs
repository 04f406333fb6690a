namespace EstServer.Core.Profiles.Loading;

/// <summary>The profile set is invalid at start-up; the server must not start on it.</summary>
public sealed class InvalidProfileSetException(IReadOnlyList<ProfileDiagnostic> diagnostics)
    : Exception(diagnostics.Count == 1
        ? $"invalid profile set: {diagnostics[0]}"
        : $"invalid profile set ({diagnostics.Count} problems): " + string.Join(Environment.NewLine, diagnostics))
{
    public IReadOnlyList<ProfileDiagnostic> Diagnostics { get; } = diagnostics;
}
