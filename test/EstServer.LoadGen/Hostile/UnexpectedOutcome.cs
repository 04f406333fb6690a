namespace EstServer.LoadGen.Hostile;

/// <summary>A case whose outcome was not in its expected class: enough to reproduce it (seed and index) and to see what went wrong.</summary>
public sealed record UnexpectedOutcome(long Index, string Category, string Description, string RequestLine, CaseIdentity Identity, CaseExpectation Expected, CaseOutcome Outcome)
{
    public override string ToString() =>
        $"UNEXPECTED #{Index} {Category} as {Identity}: {Description} | request '{RequestLine}' | expected {Expected}, got {Outcome}";
}
