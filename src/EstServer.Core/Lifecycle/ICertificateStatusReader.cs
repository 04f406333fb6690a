namespace EstServer.Core.Lifecycle;

/// <summary>The store as a host reads it: the state of a certificate it is shown, whether a device identity is blocked.</summary>
public interface ICertificateStatusReader
{
    /// <summary>Null for a serial this issuer never recorded.</summary>
    CertificateState? FindState(string issuerKeyId, string serial);

    bool IsBlocked(string deviceIdentity);

    /// <summary>Changes in the transaction of every block and unblock, so a copy of <see cref="BlockedIdentities"/> knows when it is stale.</summary>
    long BlockedRevision();

    /// <summary>Every blocked device identity.</summary>
    IReadOnlyCollection<string> BlockedIdentities();
}
