namespace EstServer.Host.Admin;

/// <summary>The optional body of POST .../revoke: an RFC 5280 reason name (unspecified when left out).</summary>
public sealed record RevokeRequestJson
{
    public string? Reason { get; init; }
}
