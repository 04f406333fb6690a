namespace EstServer.Store.Sqlite;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> in WAL mode. Normal: a commit survives the process being killed
/// (kill -9, a crash), but the last commits before a power loss or kernel panic may be lost. Full: the
/// WAL is fsynced at every commit, so a commit also survives power loss, at the cost of one fsync per write.
/// </summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}
