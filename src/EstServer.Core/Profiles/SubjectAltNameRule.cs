using System.Text.RegularExpressions;

namespace EstServer.Core.Profiles;

/// <summary>Which subjectAltName entries of one type a CSR may ask for.</summary>
public sealed record SubjectAltNameRule
{
    private readonly int? _max;

    public required SubjectAltNameType Type { get; init; }

    /// <summary>Each value of this type must match the whole pattern.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>At least this many entries of this type.</summary>
    public int Min { get; init; }

    /// <summary>Unless set, one, or <see cref="Min"/> when that is more: a rule that demands two names allows two.</summary>
    public int Max
    {
        get => _max ?? Math.Max(1, Min);
        init => _max = value;
    }
}
