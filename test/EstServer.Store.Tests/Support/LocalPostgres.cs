using EstServer.TestSupport;

namespace EstServer.Store.Tests.Support;

/// <summary>
/// The test assembly's PostgreSQL cluster, started on first use (initdb takes seconds) and shared by
/// every fixture, each on databases of its own. Locally a machine without PostgreSQL skips the tests
/// that need it; in CI (CI=true) it fails them, so they can never silently not run.
/// </summary>
public static class LocalPostgres
{
    private static readonly Lazy<PostgresServer> Shared = new(StartServer, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared cluster, or the test is ignored (locally) / failed (CI) when PostgreSQL is missing.</summary>
    public static PostgresServer Server
    {
        get
        {
            RequireInstalled();
            return Shared.Value;
        }
    }

    /// <summary>A cluster of the caller's own, for tests that stop or kill it.</summary>
    public static PostgresServer StartOwn()
    {
        RequireInstalled();
        return PostgresServer.Start();
    }

    public static void StopShared()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Dispose();
        }
    }

    private static void RequireInstalled()
    {
        if (PostgresServer.FindBinDirectory() is not null)
        {
            return;
        }

        if (PostgresServer.Required)
        {
            Assert.Fail("PostgreSQL is not installed, and CI=true requires the PostgreSQL tests to run (apt-get install postgresql)");
        }

        Assert.Ignore("PostgreSQL is not installed; the PostgreSQL tests need it (they fail instead of skipping when CI=true)");
    }

    private static PostgresServer StartServer() => PostgresServer.Start();
}
