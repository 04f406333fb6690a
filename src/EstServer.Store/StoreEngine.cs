namespace EstServer.Store;

/// <summary>Which database a <see cref="StoreSettings"/> names.</summary>
public enum StoreEngine
{
    /// <summary>One file under the data directory; for a single machine (host and signers may share it).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server; for several machines.</summary>
    PostgreSql,
}
