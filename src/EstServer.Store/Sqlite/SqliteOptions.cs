namespace EstServer.Store.Sqlite;

/// <summary>How the SQLite engine opens its file: where, how durable a commit is, and how long a writer waits for another.</summary>
internal sealed record SqliteOptions(string Path, SqliteSynchronous Synchronous, TimeSpan BusyTimeout);
