namespace EstServer.Host.Configuration;

/// <summary>The HTTPS server certificate. Left empty with a development PKI, its server certificate is used.</summary>
public sealed class TlsOptions
{
    /// <summary>PEM: the server certificate, optionally followed by intermediates to send to clients.</summary>
    public string CertificatePath { get; set; } = "";

    public string KeyPath { get; set; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);
}
