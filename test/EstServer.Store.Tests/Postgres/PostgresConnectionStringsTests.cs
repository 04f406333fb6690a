using EstServer.Store.Postgres;
using Npgsql;

namespace EstServer.Store.Tests.Postgres;

public sealed class PostgresConnectionStringsTests
{
    [Test]
    public void Parse_Uri_UserPasswordHostPortDatabaseAndSslMode()
    {
        NpgsqlConnectionStringBuilder builder = PostgresConnectionStrings.Parse("postgresql://est%40ops:p%3Ass@db.example:5433/certs?sslmode=verify-full&application_name=signer");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(builder.Username, Is.EqualTo("est@ops"));
            Assert.That(builder.Password, Is.EqualTo("p:ss"));
            Assert.That(builder.Host, Is.EqualTo("db.example"));
            Assert.That(builder.Port, Is.EqualTo(5433));
            Assert.That(builder.Database, Is.EqualTo("certs"));
            Assert.That(builder.SslMode, Is.EqualTo(SslMode.VerifyFull));
            Assert.That(builder.ApplicationName, Is.EqualTo("signer"));
        }
    }

    [Test]
    public void Parse_UriWithSeveralHostsOrIpv6_HostsAsNpgsqlTakesThem()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PostgresConnectionStrings.Parse("postgres://h1:5432,h2:5433/est").Host, Is.EqualTo("h1:5432,h2:5433"));
            NpgsqlConnectionStringBuilder v6 = PostgresConnectionStrings.Parse("postgres://[::1]:6543/est");
            Assert.That((v6.Host, v6.Port), Is.EqualTo(("::1", 6543)));
        }
    }

    [Test]
    public void Parse_KeyValueWithoutApplicationName_NamesEstserver()
    {
        NpgsqlConnectionStringBuilder builder = PostgresConnectionStrings.Parse("Host=db;Username=est");

        Assert.That(builder.ApplicationName, Is.EqualTo(PostgresConnectionStrings.ApplicationName));
    }

    [TestCase("Host=db;Bogus=hunter2")]
    [TestCase("postgresql://u:hunter2@db/est?nonsense=hunter2")]
    [TestCase("postgresql://u:hunter2@/est")]
    public void Parse_Malformed_ThrowsWithoutTheSecret(string connectionString)
    {
        ArgumentException? thrown = Assert.Throws<ArgumentException>(() => PostgresConnectionStrings.Parse(connectionString));

        Assert.That(thrown!.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Describe_WithPassword_HostPortDatabaseOnly()
    {
        string described = PostgresConnectionStrings.Describe(PostgresConnectionStrings.Parse("Host=db;Port=6432;Username=est;Password=hunter2;Database=certs"));

        Assert.That(described, Is.EqualTo("db:6432/certs"));
    }
}
