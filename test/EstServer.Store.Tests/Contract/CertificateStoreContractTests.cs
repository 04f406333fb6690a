using EstServer.Core.Lifecycle;
using EstServer.Store.Sql;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Store.Tests.Contract;

/// <summary>
/// What the certificate store promises, run against each engine on a real database: SQLite on a temp
/// file, PostgreSQL on a throwaway cluster. Each test gets a fresh, empty database. The suite is one
/// fixture split by topic over partial files (Record, Revocation, Search, Crl, Schema).
/// </summary>
public abstract partial class CertificateStoreContractTests
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _opened = [];

    protected FakeTimeProvider Time { get; private set; } = null!;

    /// <summary>The settings of this test's fresh database.</summary>
    protected StoreSettings Settings { get; private set; } = null!;

    /// <summary>The store on <see cref="Settings"/>, opened for the test.</summary>
    protected SqlCertificateStore Store { get; private set; } = null!;

    protected abstract string ExpectedEngine { get; }

    /// <summary>Settings naming a fresh, empty database of the engine.</summary>
    protected abstract StoreSettings CreateSettings();

    /// <summary>Makes the database unusable for real (stopped server, a lock held past the busy timeout) until disposed.</summary>
    protected abstract IDisposable MakeUnavailable();

    [SetUp]
    public void OpenFreshStore()
    {
        Time = new FakeTimeProvider(Start);
        Settings = CreateSettings();
        Store = Open();
    }

    [TearDown]
    public void DisposeStores()
    {
        Store.Dispose();
        foreach (IDisposable opened in _opened)
        {
            opened.Dispose();
        }

        _opened.Clear();
        DeleteDatabases();
    }

    /// <summary>Removes what <see cref="CreateSettings"/> made, once every store of the test is closed.</summary>
    protected virtual void DeleteDatabases()
    {
    }

    /// <summary>Another store on the same database (or other settings), as a second process would open it; disposed after the test.</summary>
    protected SqlCertificateStore Open(StoreSettings? settings = null) => Keep(CertificateStores.Open(settings ?? Settings, Time, NullLoggerFactory.Instance));

    protected T Keep<T>(T disposable)
        where T : IDisposable
    {
        _opened.Add(disposable);
        return disposable;
    }

    protected CertificateRecord NewRecord(string? deviceIdentity = null, string? requestId = null, string? spki = null, string subject = "CN=device,O=Example", string profile = "device", TimeSpan? validity = null, string issuerKeyId = TestCertificateRecord.IssuerKeyId) =>
        TestCertificateRecord.Create(Time.GetUtcNow(), deviceIdentity, requestId, spki, subject, profile, issuerKeyId, validity);

    /// <summary>Records and requires <see cref="RecordResult.Recorded"/>.</summary>
    protected CertificateRecord Recorded(CertificateRecord record, KeyClaim? claim = null)
    {
        RecordResult result = Store.Record(record, claim);
        Assert.That(result, Is.InstanceOf<RecordResult.Recorded>(), $"recording {record.Serial}");
        return record;
    }

    /// <summary>A number from the database, through the store's own connection handling.</summary>
    protected static long Count(SqlCertificateStore store, string sql) =>
        store.Database.Read(connection => Convert.ToInt64(SqlCommands.Scalar(connection, null, sql), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The record as the store keeps it: times to the millisecond.</summary>
    protected static CertificateRecord AsStored(CertificateRecord record) => record with
    {
        NotBefore = Millis(record.NotBefore),
        NotAfter = Millis(record.NotAfter),
        IssuedAt = Millis(record.IssuedAt),
        RevokedAt = record.RevokedAt is { } at ? Millis(at) : null,
    };

    protected static DateTimeOffset Millis(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    /// <summary>Records compare by value except the DER array, which is compared by content here.</summary>
    protected static void AssertSameRecord(CertificateRecord? actual, CertificateRecord expected, bool withDer = true)
    {
        Assert.That(actual, Is.Not.Null, $"record {expected.Serial}");
        CertificateRecord stored = AsStored(expected);
        Assert.That(actual! with { Der = [] }, Is.EqualTo(stored with { Der = [] }));
        Assert.That(actual.Der, Is.EqualTo(withDer ? expected.Der : Array.Empty<byte>()), "DER");
    }

    [Test]
    public void Open_Engine_NamesTheEngineAndSchemaVersion()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Engine, Is.EqualTo(ExpectedEngine));
            Assert.That(Store.SchemaVersion, Is.EqualTo(EstServer.Store.Migrations.MigrationScripts.For(ExpectedEngine).Count));
            Assert.That(Store.Target, Does.Not.Contain("Password").IgnoreCase);
        }
    }
}
