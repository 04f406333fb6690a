using EstServer.Core.Lifecycle;

namespace EstServer.TestSupport;

/// <summary>
/// A real store behind a switch that makes it unreachable, as a database outage does: while
/// <see cref="Reachable"/> is false (or for the next <see cref="FailNextCalls"/> calls) every member
/// throws <see cref="StoreUnavailableException"/>, exactly what the engines throw.
/// </summary>
public sealed class SwitchableStore(ICertificateStore inner) : ICertificateStore
{
    private int _failNext;

    public bool Reachable { get; set; } = true;

    /// <summary>Calls refused from now on before the store answers again (an outage of a few calls).</summary>
    public int FailNextCalls
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    public CertificateRecord? FindIssuedFor(string requestId, DateTimeOffset now) => Gate().FindIssuedFor(requestId, now);

    public CertificateState? FindState(string issuerKeyId, string serial) => Gate().FindState(issuerKeyId, serial);

    public RecordResult Record(CertificateRecord record, KeyClaim? claim) => Gate().Record(record, claim);

    public bool IsBlocked(string deviceIdentity) => Gate().IsBlocked(deviceIdentity);

    public long BlockedRevision() => Gate().BlockedRevision();

    public IReadOnlyCollection<string> BlockedIdentities() => Gate().BlockedIdentities();

    public IReadOnlyList<RevokedEntry> Revoked(string issuerKeyId, DateTimeOffset now) => Gate().Revoked(issuerKeyId, now);

    public long RevocationRevision(string issuerKeyId) => Gate().RevocationRevision(issuerKeyId);

    public PublishedCrl? LatestCrl(string issuerKeyId) => Gate().LatestCrl(issuerKeyId);

    public bool TryPublishCrl(PublishedCrl crl) => Gate().TryPublishCrl(crl);

    public IReadOnlyList<CertificateRecord> Search(CertificateQuery query, DateTimeOffset now) => Gate().Search(query, now);

    public CertificateRecord? Get(string serial) => Gate().Get(serial);

    public RevokeResult Revoke(string serial, RevocationReason reason, DateTimeOffset at, string actor) => Gate().Revoke(serial, reason, at, actor);

    public DeviceBlock Block(string deviceIdentity, string reason, RevocationReason revocationReason, DateTimeOffset at, string actor) =>
        Gate().Block(deviceIdentity, reason, revocationReason, at, actor);

    public bool Unblock(string deviceIdentity, DateTimeOffset at, string actor) => Gate().Unblock(deviceIdentity, at, actor);

    public IReadOnlyList<AuditEntry> AuditTrail(int limit) => Gate().AuditTrail(limit);

    private ICertificateStore Gate()
    {
        int remaining = Volatile.Read(ref _failNext);
        while (remaining > 0)
        {
            if (Interlocked.CompareExchange(ref _failNext, remaining - 1, remaining) == remaining)
            {
                throw new StoreUnavailableException("the certificate store is unreachable (test outage)");
            }

            remaining = Volatile.Read(ref _failNext);
        }

        return Reachable ? inner : throw new StoreUnavailableException("the certificate store is unreachable (test outage)");
    }
}
