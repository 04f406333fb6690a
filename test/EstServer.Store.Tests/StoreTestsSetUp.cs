using EstServer.Store.Tests.Support;

namespace EstServer.Store.Tests;

/// <summary>Stops the shared PostgreSQL cluster once every fixture of the assembly ran (a set-up fixture in the root namespace covers them all).</summary>
[SetUpFixture]
public sealed class StoreTestsSetUp
{
    [OneTimeTearDown]
    public void StopPostgres() => LocalPostgres.StopShared();
}
