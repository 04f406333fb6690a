namespace EstServer.Core.Profiles.Loading;

/// <summary>One problem in a profile file, located so an editor can jump to it.</summary>
public sealed record ProfileDiagnostic(string File, int Line, int Column, string Rule, string Message)
{
    /// <summary>file:line:column: error [rule]: message (a problem with a whole file or directory has no line).</summary>
    public override string ToString() => Line > 0
        ? $"{File}:{Line}:{Column}: error [{Rule}]: {Message}"
        : $"{File}: error [{Rule}]: {Message}";
}
