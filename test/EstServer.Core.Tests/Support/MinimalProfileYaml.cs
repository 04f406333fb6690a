namespace EstServer.Core.Tests.Support;

/// <summary>The smallest valid profile file; reader tests change one line of it, so the line numbers they expect hold.</summary>
internal static class MinimalProfileYaml
{
    public const string Minimal =
        "name: sample\n" +                         // 1
        "labels: [sample]\n" +                     // 2
        "policies:\n" +                            // 3
        "  - oid: 2.999.1.1\n" +                   // 4
        "validity: 30d\n" +                        // 5
        "keyUsage: [digitalSignature]\n" +         // 6
        "keys:\n" +                                // 7
        "  ec: [P-256]\n" +                        // 8
        "subject:\n" +                             // 9
        "  - type: CN\n" +                         // 10
        "enroll:\n" +                              // 11
        "  trustAnchors: [dev:manufacturer]\n";    // 12

    /// <summary>The minimal profile with one of its lines replaced (by several, or by none if empty).</summary>
    public static string With(string line, string replacement)
    {
        string withNewline = line.EndsWith('\n') ? line : line + "\n";
        if (!Minimal.Contains(withNewline, StringComparison.Ordinal))
        {
            throw new ArgumentException($"test setup: '{line}' is not a line of the minimal profile", nameof(line));
        }

        return Minimal.Replace(withNewline, replacement.Length == 0 ? "" : replacement + "\n", StringComparison.Ordinal);
    }
}
