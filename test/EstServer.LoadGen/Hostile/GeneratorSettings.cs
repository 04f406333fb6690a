namespace EstServer.LoadGen.Hostile;

/// <summary>What the generator needs to know about the server it aims at.</summary>
public sealed record GeneratorSettings
{
    /// <summary>host:port, written in Host headers.</summary>
    public required string Authority { get; init; }

    /// <summary>The server's Est:MaxRequestBodyBytes: bodies beyond it must get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 65536;

    /// <summary>The CN of the operational certificate the runner obtains for the hostile client (re-enrollment cases keep it).</summary>
    public string OperationalCommonName { get; init; } = "hostile-operational";
}
