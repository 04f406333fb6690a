using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// How <see cref="EstTestServer"/> starts the server. The defaults: in-process, on a new temp data
/// directory with a fresh development PKI, serving <see cref="EstTestServer.DefaultProfiles"/>.
/// </summary>
public sealed record EstTestServerOptions
{
    /// <summary>Run the built binary as its own process (its output captured) instead of in this test process.</summary>
    public bool Binary { get; init; }

    /// <summary>Names the temp directories (estserver-PURPOSE-...).</summary>
    public string Purpose { get; init; } = "server";

    /// <summary>Configuration overrides as command-line arguments, e.g. "--Est:MaxRequestBodyBytes=4096".</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>
    /// The profiles, written as YAML into a temp directory the server serves (Est:ProfilesPath); null for
    /// none, so the configuration decides (the config directory's profiles/, or the built-in profile).
    /// </summary>
    public IReadOnlyList<TestProfile>? Profiles { get; init; } = EstTestServer.DefaultProfiles;

    /// <summary>Writes the profile files into the directory it is given instead of <see cref="Profiles"/>.</summary>
    public Action<string>? WriteProfiles { get; init; }

    /// <summary>An existing data directory (left in place afterwards); null for a new one under the temp directory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The binary's EST_CONFIG_DIR (estserver.json, profiles/); null for an empty one. In-process servers read no config directory.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>The binary's working directory (left in place afterwards), where its ./data is; null for a new temp one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>A Redis configuration string (Est:Redis): the host queues signing requests to it instead of signing itself.</summary>
    public string? Redis { get; init; }

    /// <summary>Environment variables for the binary, on top of an environment cleared of the test run's own settings.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The output line that says the binary is ready; by default the last line of its enrollment walk-through.</summary>
    public Func<string, bool> ReadyLine { get; init; } = PrintedInstructions.IsLastLine;

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What failure messages call the binary's process.</summary>
    public string Name { get; init; } = "server";
}
