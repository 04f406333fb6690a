namespace EstServer.Host.Pki;

/// <summary>Which private material a process loads: only what its role needs.</summary>
[Flags]
public enum PkiNeeds
{
    None = 0,

    /// <summary>The issuing CA's private key: the embedded host and signer workers.</summary>
    CaKey = 1,

    /// <summary>The HTTPS server certificate and key: hosts.</summary>
    TlsServer = 2,
}
