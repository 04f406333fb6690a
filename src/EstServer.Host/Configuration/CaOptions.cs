namespace EstServer.Host.Configuration;

/// <summary>The issuing CA. Left empty, a development PKI is created under the data directory.</summary>
public sealed record CaOptions
{
    /// <summary>PEM: the issuing CA certificate, optionally followed by its chain up to the root.</summary>
    public string CertificatePath { get; init; } = "";

    /// <summary>PEM: more chain certificates, when they are kept in a separate file.</summary>
    public string ChainPath { get; init; } = "";

    /// <summary>PEM private key of the issuing CA (PKCS#8, or SEC1/PKCS#1).</summary>
    public string KeyPath { get; init; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);
}
