using EstServer.Host.Configuration;

namespace EstServer.Host.Tests.Configuration;

[TestFixture]
public sealed class EstOptionsPrintingTests
{
    [Test]
    public void ToString_RedisAndDatabaseWithPasswords_PrintsNeither()
    {
        var options = new EstOptions
        {
            Redis = "redis.internal:6379,password=redis-secret-1",
            Database = "Host=db;Database=est;Username=est;Password=pg-secret-2",
        };

        string printed = options.ToString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(printed, Does.Not.Contain("redis-secret-1"));
            Assert.That(printed, Does.Not.Contain("pg-secret-2"));
            Assert.That(printed, Does.Contain("Redis = (set, hidden)").And.Contain("Database = (set, hidden)"));
        }
    }

    [Test]
    public void ToString_NothingConfigured_SaysEmbeddedSqlite()
    {
        Assert.That(new EstOptions().ToString(), Does.Contain("Redis = (none)").And.Contain("Database = (embedded SQLite)"));
    }
}
