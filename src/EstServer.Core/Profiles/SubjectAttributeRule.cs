using System.Text.RegularExpressions;

namespace EstServer.Core.Profiles;

/// <summary>One attribute the issued subject may carry, in the order the profile lists them.</summary>
public sealed record SubjectAttributeRule
{
    /// <summary>The attribute type OID (e.g. 2.5.4.3 for CN).</summary>
    public required string Oid { get; init; }

    /// <summary>The name used in configuration and messages (e.g. CN).</summary>
    public required string Name { get; init; }

    public SubjectValueSource Source { get; init; } = SubjectValueSource.Csr;

    public bool Required { get; init; }

    /// <summary>For <see cref="SubjectValueSource.Csr"/>: the whole value must match.</summary>
    public Regex? Pattern { get; init; }

    public string? FixedValue { get; init; }
}
