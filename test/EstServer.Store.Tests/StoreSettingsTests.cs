using EstServer.Store.Sqlite;

namespace EstServer.Store.Tests;

public sealed class StoreSettingsTests
{
    private const string DataDirectory = "/var/lib/estserver";

    [Test]
    public void Constructor_EmptyConnectionString_SqliteInTheDataDirectory()
    {
        var settings = new StoreSettings(DataDirectory, "  ");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Engine, Is.EqualTo(StoreEngine.Sqlite));
            Assert.That(settings.SqlitePath, Is.EqualTo("/var/lib/estserver/estserver.db"));
            Assert.That(settings.ConnectionString, Is.Empty);
            Assert.That(settings.BusyTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(settings.SqliteSynchronous, Is.EqualTo(SqliteSynchronous.Full));
        }
    }

    [TestCase("Data Source=/srv/est/certs.db", "/srv/est/certs.db")]
    [TestCase("Data Source=store/certs.db", "/var/lib/estserver/store/certs.db")]
    [TestCase("filename=certs.db", "/var/lib/estserver/certs.db")]
    public void Constructor_DataSource_SqliteAtThatPath(string connectionString, string path)
    {
        var settings = new StoreSettings(DataDirectory, connectionString);

        Assert.That((settings.Engine, settings.SqlitePath), Is.EqualTo((StoreEngine.Sqlite, path)));
    }

    [TestCase("Host=db.example;Username=est;Password=pw;Database=est")]
    [TestCase("Username=est;Host=db.example")]
    [TestCase("postgresql://est:pw@db.example/est")]
    [TestCase("POSTGRES://db.example")]
    public void Constructor_PostgresConnectionString_PostgreSql(string connectionString)
    {
        var settings = new StoreSettings(DataDirectory, connectionString);

        Assert.That((settings.Engine, settings.SqlitePath), Is.EqualTo((StoreEngine.PostgreSql, "")));
    }

    [TestCase("Data Source=x.db;Mode=Memory", "Mode")]
    [TestCase("Data Source=:memory:", "file")]
    [TestCase("Username=est;Database=est", "neither")]
    [TestCase("Host='unterminated;Password=hunter2", "malformed")]
    public void Constructor_UnusableConnectionString_ThrowsWithoutEchoingIt(string connectionString, string because)
    {
        ArgumentException? thrown = Assert.Throws<ArgumentException>(() => _ = new StoreSettings(DataDirectory, connectionString));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.Message, Does.Contain(because).IgnoreCase);
            Assert.That(thrown.Message, Does.Not.Contain("hunter2"));
        }
    }

    [Test]
    public void BusyTimeout_NotPositive_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StoreSettings(DataDirectory) { BusyTimeout = TimeSpan.Zero });

    [Test]
    public void Constructor_NoDataDirectory_Throws() =>
        Assert.Throws<ArgumentException>(() => _ = new StoreSettings(" "));

    [Test]
    public void ToString_PostgresWithPassword_HidesTheConnectionString()
    {
        string text = new StoreSettings(DataDirectory, "Host=db;Password=hunter2").ToString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Contain("hunter2"));
            Assert.That(text, Does.Contain("PostgreSql"));
        }
    }
}
