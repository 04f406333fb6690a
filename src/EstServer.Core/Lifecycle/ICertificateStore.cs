namespace EstServer.Core.Lifecycle;

/// <summary>The certificate store: one schema, two engines (SQLite embedded, PostgreSQL scale-out); each consumer takes the narrow view it needs.</summary>
public interface ICertificateStore : IIssuanceLedger, IRevocationList, ICertificateAdmin
{
}
