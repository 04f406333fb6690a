using System.Text.RegularExpressions;
using EstServer.Core.Lifecycle;
using EstServer.Host.Cli;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Cli;

/// <summary>
/// estserver certs against a temporary SQLite store, opened the way the server opens it (the data
/// directory given as --Est:DataDir, as an operator would override the configuration).
/// </summary>
[TestFixture]
public sealed partial class CertsCommandTests
{
    private TestStore _store = null!;
    private StringWriter _out = null!;
    private StringWriter _err = null!;

    [SetUp]
    public void CreateStore()
    {
        _store = TestStore.Sqlite();
        _out = new StringWriter();
        _err = new StringWriter();
    }

    [TearDown]
    public void DeleteStore()
    {
        _store.Dispose();
        _out.Dispose();
        _err.Dispose();
    }

    [Test]
    public void List_SeededStore_PrintsOneLinePerCertificateAndTheQueryTime()
    {
        CertificateRecord first = Seed("CN=gateway-1,O=Example");
        CertificateRecord second = Seed("CN=sensor-2,O=Example");

        int exit = Run("list");

        string[] lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, _err.ToString());
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That(lines, Has.Some.EqualTo(string.Join('\t', SerialNumber.ToOpenSsl(first.Serial), "good", first.NotAfter.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), "device", first.Subject, first.DeviceIdentity)));
            Assert.That(lines, Has.Some.StartsWith(SerialNumber.ToOpenSsl(second.Serial) + "\tgood\t"));
            Assert.That(QueryTime().IsMatch(_err.ToString()), Is.True, _err.ToString());
        }
    }

    [Test]
    public void List_Filters_ArePassedToTheStore()
    {
        Seed("CN=gateway-1,O=Example");
        CertificateRecord revoked = Seed("CN=gateway-2,O=Example");
        _store.Store.Revoke(revoked.Serial, RevocationReason.Superseded, DateTimeOffset.UtcNow, "test");
        Seed("CN=sensor-3,O=Example", validity: TimeSpan.FromDays(3));

        int byStatus = Run("list", "--status", "revoked", "--subject", "gateway");
        string revokedOut = _out.ToString();
        _out.GetStringBuilder().Clear();
        int byExpiry = Run("list", "--expiring-within", "7d", "--limit", "5");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((byStatus, byExpiry), Is.EqualTo((0, 0)));
            Assert.That(revokedOut, Does.StartWith(SerialNumber.ToOpenSsl(revoked.Serial) + "\trevoked\t"));
            Assert.That(revokedOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
            Assert.That(_out.ToString(), Does.Contain("CN=sensor-3"));
            Assert.That(_out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        }
    }

    [TestCase("--status", "maybe")]
    [TestCase("--expiring-within", "soon")]
    [TestCase("--limit", "-1")]
    [TestCase("--colour", "red")]
    public void List_BadOption_Exits2WithOneLine(string option, string value)
    {
        int exit = Run("list", option, value);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_err.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("openssl")]
    [TestCase("colons")]
    [TestCase("lower")]
    public void Show_SerialInOpenSslForms_PrintsFieldsAndPem(string form)
    {
        CertificateRecord record = Seed("CN=gateway-1,O=Example");
        string openssl = SerialNumber.ToOpenSsl(record.Serial);
        string serial = form switch
        {
            "openssl" => "serial=" + openssl,
            "colons" => string.Join(':', Enumerable.Range(0, openssl.Length / 2).Select(i => openssl.Substring(i * 2, 2).ToLowerInvariant())),
            _ => record.Serial,
        };

        int exit = Run("show", serial);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, _err.ToString());
            Assert.That(_out.ToString(), Does.Contain($"serial           {openssl}\n"));
            Assert.That(_out.ToString(), Does.Contain($"deviceIdentity   {record.DeviceIdentity}\n"));
            Assert.That(_out.ToString(), Does.Contain($"requestId        {record.RequestId}\n"));
            Assert.That(_out.ToString(), Does.Contain("-----BEGIN CERTIFICATE-----"));
        }
    }

    [Test]
    public void Show_UnknownSerial_Exits1()
    {
        int exit = Run("show", "serial=0ABCDE");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(_err.ToString(), Is.EqualTo("estserver certs: no certificate with serial 0ABCDE\n"));
    }

    [Test]
    public void Show_NotASerial_Exits2()
    {
        Assert.That(Run("show", "not-hex"), Is.EqualTo(2));
    }

    [Test]
    public void Revoke_WithReason_RevokesAndAuditsTheCliActor()
    {
        CertificateRecord record = Seed("CN=gateway-1,O=Example");

        int exit = Run("revoke", "serial=" + SerialNumber.ToOpenSsl(record.Serial), "--reason", "key-compromise");

        AuditEntry audit = _store.Store.AuditTrail(1)[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, _err.ToString());
            Assert.That(_store.Store.Get(record.Serial)!.RevocationReason, Is.EqualTo(RevocationReason.KeyCompromise));
            Assert.That(_out.ToString(), Does.StartWith($"{SerialNumber.ToOpenSsl(record.Serial)} revoked at ").And.Contains("(keyCompromise)"));
            Assert.That(audit.Actor, Does.StartWith("cli:").And.EndWith("@" + Environment.MachineName));
            Assert.That((audit.Action, audit.Target), Is.EqualTo(("revoke", record.Serial)));
        }
    }

    [Test]
    public void Revoke_Twice_SaysAlreadyRevokedAndExits0()
    {
        CertificateRecord record = Seed("CN=gateway-1,O=Example");
        Run("revoke", record.Serial);
        _out.GetStringBuilder().Clear();

        int exit = Run("revoke", record.Serial, "--reason", "superseded");

        Assert.That(exit, Is.Zero);
        Assert.That(_out.ToString(), Does.Contain("was already revoked").And.Contains("(unspecified)"));
    }

    [Test]
    public void Revoke_UnknownSerial_Exits1()
    {
        Assert.That(Run("revoke", "0A0B0C"), Is.EqualTo(1));
    }

    [Test]
    public void Revoke_BadReason_Exits2ListingChoices()
    {
        CertificateRecord record = Seed("CN=gateway-1,O=Example");

        int exit = Run("revoke", record.Serial, "--reason", "lost");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_err.ToString(), Is.EqualTo($"estserver certs: unknown reason 'lost'; use one of {RevocationReasons.Choices}\n"));
        Assert.That(_store.Store.Get(record.Serial)!.Status, Is.EqualTo(CertificateStatus.Good));
    }

    [TestCase]
    [TestCase("frobnicate")]
    [TestCase("show")]
    public void Run_BadUsage_Exits2(params string[] args)
    {
        Assert.That(CertsCommand.Run(args, _out, _err), Is.EqualTo(2));
    }

    [Test]
    public void Run_BadDatabaseSetting_Exits2WithOneLineNamingIt()
    {
        int exit = CertsCommand.Run(["list", $"--Est:DataDir={_store.DataDirectory}", "--Est:Database=Nonsense=1"], _out, _err);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_err.ToString(), Does.StartWith("estserver certs: Est:Database: ").And.EndWith("\n"));
        Assert.That(_err.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    private int Run(params string[] args) => CertsCommand.Run([.. args, $"--Est:DataDir={_store.DataDirectory}", "--Est:Database="], _out, _err);

    private CertificateRecord Seed(string subject, TimeSpan? validity = null)
    {
        CertificateRecord record = TestCertificateRecord.Create(DateTimeOffset.UtcNow.AddMinutes(-1), subject: subject, validity: validity);
        _store.Store.Record(record, null);
        return record;
    }

    [GeneratedRegex(@"^2 certificates \(query [0-9]+\.[0-9] ms\)\n$")]
    private static partial Regex QueryTime();
}
