namespace EstServer.Host.Admin;

/// <summary>
/// The optional body of POST .../block: why, in the operator's words, and the RFC 5280 reason its
/// certificates are revoked with (cessationOfOperation when left out).
/// </summary>
public sealed record BlockRequestJson
{
    public string? Reason { get; init; }

    public string? RevocationReason { get; init; }
}
