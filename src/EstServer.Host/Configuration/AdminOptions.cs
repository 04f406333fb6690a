namespace EstServer.Host.Configuration;

/// <summary>The "Est:Admin" section: the /admin/v1 API, off unless an admin CA is configured.</summary>
public sealed record AdminOptions
{
    /// <summary>
    /// PEM file of the CA certificate(s) that admin client certificates chain to. Kept apart from every
    /// device trust anchor and from the issuing CA on purpose: a device must never pass as an admin, and
    /// an admin certificate must never enroll.
    /// </summary>
    public string CaPath { get; init; } = "";

    public bool IsEnabled => !string.IsNullOrWhiteSpace(CaPath);
}
