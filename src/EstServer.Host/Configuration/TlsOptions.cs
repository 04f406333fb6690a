namespace EstServer.Host.Configuration;

/// <summary>The HTTPS server certificate. Left empty with a development PKI, its server certificate is used.</summary>
public sealed record TlsOptions
{
    /// <summary>PEM: the server certificate, optionally followed by intermediates to send to clients.</summary>
    public string CertificatePath { get; init; } = "";

    public string KeyPath { get; init; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);
}
