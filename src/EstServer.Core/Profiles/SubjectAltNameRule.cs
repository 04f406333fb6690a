using System.Text.RegularExpressions;

namespace EstServer.Core.Profiles;

/// <summary>Which subjectAltName entries of one type a CSR may ask for.</summary>
public sealed record SubjectAltNameRule
{
    public required SubjectAltNameType Type { get; init; }

    /// <summary>Each value of this type must match the whole pattern.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>At least this many entries of this type.</summary>
    public int Min { get; init; }

    public int Max { get; init; } = 1;
}
