namespace EstServer.Core.Authority;

public sealed record EstAuthorityOptions
{
    /// <summary>How long a request handler waits for its certificate before answering 202 (RFC 7030 §4.2.3).</summary>
    public TimeSpan WaitBudget { get; init; } = TimeSpan.FromSeconds(10);
}
