using EstServer.Core.Lifecycle;
using EstServer.Store.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Store.Tests.Postgres;

/// <summary>A server of the fixture's own that is killed and restarted: what the store does meanwhile and after.</summary>
[TestFixture]
public sealed class PostgresFaultTests
{
    private PostgresServer _server = null!;

    [OneTimeSetUp]
    public void StartServer() => _server = LocalPostgres.StartOwn();

    [OneTimeTearDown]
    public void StopServer() => _server?.Dispose();

    [Test]
    public void Record_ServerKilledThenRestarted_UnavailableMeanwhileAndCommittedDataKept()
    {
        using SqlCertificateStore store = CertificateStores.Open(new StoreSettings(Path.GetTempPath(), _server.CreateDatabase()), TimeProvider.System, NullLoggerFactory.Instance);
        CertificateRecord before = TestCertificateRecord.Create(DateTimeOffset.UtcNow);
        store.Record(before, null);

        _server.Kill();
        Assert.Throws<StoreUnavailableException>(() => store.FindState(before.IssuerKeyId, before.Serial));
        _server.Restart();

        CertificateState? state = Eventually(() => store.FindState(before.IssuerKeyId, before.Serial));
        Assert.That(state?.Serial, Is.EqualTo(before.Serial), "the committed record survived the crash");
    }

    [Test]
    public void Open_ServerDown_StoreUnavailable()
    {
        string connectionString = _server.CreateDatabase();
        _server.Stop();
        try
        {
            StoreUnavailableException? thrown = Assert.Throws<StoreUnavailableException>(
                () => CertificateStores.Open(new StoreSettings(Path.GetTempPath(), connectionString), TimeProvider.System, NullLoggerFactory.Instance));
            Assert.That(thrown!.Message, Does.Contain($"127.0.0.1:{_server.Port}/"));
        }
        finally
        {
            _server.Restart();
        }
    }

    private static T Eventually<T>(Func<T> read)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return read();
            }
            catch (StoreUnavailableException) when (attempt < 10)
            {
                Thread.Sleep(200);
            }
        }
    }
}
