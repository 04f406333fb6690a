using EstServer.Core.Lifecycle;
using EstServer.Store.Migrations;
using EstServer.Store.Sql;
using EstServer.Store.Sqlite;
using EstServer.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EstServer.Store.Tests.Migrations;

/// <summary>A database made by an earlier version keeps working after the migrations that followed it.</summary>
public sealed class SqliteUpgradeTests
{
    [Test]
    public void Open_DatabaseAtVersion1_MigratesAndKeepsRequestsClaimsAndBlocks()
    {
        using var directory = new TempDirectory("store");
        var settings = new StoreSettings(directory.Path);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        CertificateRecord record = TestCertificateRecord.Create(now, subject: "CN=from-v1,O=Example");
        using (var connection = new SqliteConnection($"Data Source={settings.SqlitePath}"))
        {
            connection.Open();
            MigrationRunner.Apply(connection, new SqliteMigrationLock(), MigrationScripts.For("sqlite").Take(1).ToList(), now, NullLogger.Instance);
            SqlCommands.Execute(connection, null, CertificateRows.Insert, CertificateRows.Parameters(record));
            SqlCommands.Execute(
                connection, null, "INSERT INTO issued_requests (request_id, issuer_key_id, serial) VALUES (@r, @i, @s)",
                ("r", record.RequestId), ("i", record.IssuerKeyId), ("s", record.Serial));
            SqlCommands.Execute(
                connection, null, "INSERT INTO key_claims (spki_sha256, owner, until) VALUES (@k, 'CN=from-v1', @until)",
                ("k", record.SpkiSha256), ("until", UnixMillis.From(now.AddDays(30))));
            SqlCommands.Execute(
                connection, null, "INSERT INTO blocked_devices (device_identity, blocked_at, reason, actor) VALUES ('dev-old', 0, 'lost', 'admin')");
        }

        SqliteConnection.ClearAllPools();
        using SqlCertificateStore store = CertificateStores.Open(settings, TimeProvider.System, NullLoggerFactory.Instance);
        long before = store.BlockedRevision();
        CertificateRecord sameKey = TestCertificateRecord.Create(now, subject: "CN=other,O=Example") with { SpkiSha256 = record.SpkiSha256 };
        RecordResult clone = store.Record(sameKey, new KeyClaim(record.SpkiSha256, "CN=other", now.AddDays(30)));
        store.Block("dev-new", "stolen", RevocationReason.KeyCompromise, now, "admin");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(store.SchemaVersion, Is.EqualTo(MigrationScripts.For("sqlite").Count));
            Assert.That(store.FindIssuedFor(record.RequestId, now)?.Serial, Is.EqualTo(record.Serial), "the request still finds its certificate");
            Assert.That(clone, Is.InstanceOf<RecordResult.KeyTaken>(), "the key claims survived the rebuild of their table");
            Assert.That(store.BlockedIdentities(), Is.EquivalentTo(new[] { "dev-old", "dev-new" }));
            Assert.That(store.BlockedRevision(), Is.GreaterThan(before), "a block moves the revision");
        }

        SqliteConnection.ClearAllPools();
    }
}
