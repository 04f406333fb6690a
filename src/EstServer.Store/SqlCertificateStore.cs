using EstServer.Core.Lifecycle;
using EstServer.Store.Sql;

namespace EstServer.Store;

/// <summary>
/// The certificate store on SQLite or PostgreSQL, as <see cref="CertificateStores.Open"/> returns it:
/// one schema and one set of queries over either engine. Thread-safe; every call takes a pooled
/// connection for its own duration. Every member throws <see cref="StoreUnavailableException"/> when the
/// database cannot be used now. Times are kept to the millisecond.
/// </summary>
public sealed class SqlCertificateStore : ICertificateStore, IDisposable
{
    private readonly Issuance _issuance;
    private readonly StatusQueries _status;
    private readonly Revocations _revocations;
    private readonly CertificateSearch _search;
    private readonly CrlTable _crls;
    private readonly AuditLog _audit;

    internal SqlCertificateStore(StoreDatabase database, int schemaVersion, TimeProvider time)
    {
        Database = database;
        SchemaVersion = schemaVersion;
        _issuance = new Issuance(database, time);
        _status = new StatusQueries(database);
        _revocations = new Revocations(database);
        _search = new CertificateSearch(database);
        _crls = new CrlTable(database);
        _audit = new AuditLog(database);
    }

    /// <summary>"sqlite" or "postgresql".</summary>
    public string Engine => Database.Engine;

    /// <summary>The file, or host:port/database; never a password.</summary>
    public string Target => Database.Target;

    /// <summary>The schema version the database was migrated to when opened.</summary>
    public int SchemaVersion { get; }

    internal StoreDatabase Database { get; }

    public CertificateRecord? FindIssuedFor(string requestId, DateTimeOffset now) => _issuance.FindIssuedFor(requestId, now);

    public RecordResult Record(CertificateRecord record, KeyClaim? claim) => _issuance.Record(record, claim);

    public CertificateState? FindState(string issuerKeyId, string serial) => _status.FindState(issuerKeyId, serial);

    public bool IsBlocked(string deviceIdentity) => _status.IsBlocked(deviceIdentity);

    public long BlockedRevision() => _status.BlockedRevision();

    public IReadOnlyCollection<string> BlockedIdentities() => _status.BlockedIdentities();

    public IReadOnlyList<RevokedEntry> Revoked(string issuerKeyId, DateTimeOffset now) => _crls.Revoked(issuerKeyId, now);

    public long RevocationRevision(string issuerKeyId) => _crls.RevocationRevision(issuerKeyId);

    public PublishedCrl? LatestCrl(string issuerKeyId) => _crls.LatestCrl(issuerKeyId);

    public bool TryPublishCrl(PublishedCrl crl) => _crls.TryPublishCrl(crl);

    public IReadOnlyList<CertificateRecord> Search(CertificateQuery query, DateTimeOffset now) => _search.Search(query, now);

    public CertificateRecord? Get(string serial) => _search.Get(serial);

    public RevokeResult Revoke(string serial, RevocationReason reason, DateTimeOffset at, string actor) => _revocations.Revoke(serial, reason, at, actor);

    public DeviceBlock Block(string deviceIdentity, string reason, RevocationReason revocationReason, DateTimeOffset at, string actor) =>
        _revocations.Block(deviceIdentity, reason, revocationReason, at, actor);

    public bool Unblock(string deviceIdentity, DateTimeOffset at, string actor) => _revocations.Unblock(deviceIdentity, at, actor);

    public IReadOnlyList<AuditEntry> AuditTrail(int limit) => _audit.Trail(limit);

    /// <summary>Releases the engine's connection pool.</summary>
    public void Dispose() => Database.Dispose();
}
