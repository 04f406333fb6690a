using EstServer.Store.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Store.Tests.Contract;

/// <summary>
/// The contract on PostgreSQL: the assembly's shared cluster, a fresh database per test, and a password
/// in the connection string (trust authentication ignores it) to show it never reaches a message.
/// </summary>
[TestFixture]
public sealed class PostgresCertificateStoreContractTests : CertificateStoreContractTests
{
    protected override string ExpectedEngine => "postgresql";

    private static PostgresServer Server => LocalPostgres.Server;

    protected override StoreSettings CreateSettings() =>
        new(Path.GetTempPath(), Server.CreateDatabase() + $";Password={SecretMarker}");

    /// <summary>The server shut down; it comes back when disposed.</summary>
    protected override IDisposable MakeUnavailable()
    {
        Server.Stop();
        return new Restart(Server);
    }

    private sealed class Restart(PostgresServer server) : IDisposable
    {
        public void Dispose() => server.Restart();
    }
}
