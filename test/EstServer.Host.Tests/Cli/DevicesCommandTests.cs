using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Lifecycle;
using EstServer.Host.Admin;
using EstServer.Host.Cli;
using EstServer.TestSupport;

namespace EstServer.Host.Tests.Cli;

/// <summary>estserver devices block|unblock against a temporary SQLite store, naming devices by identity or by their IDevID.</summary>
[TestFixture]
public sealed class DevicesCommandTests
{
    private TestStore _store = null!;
    private TempDirectory _dir = null!;
    private StringWriter _out = null!;
    private StringWriter _err = null!;

    [SetUp]
    public void CreateStore()
    {
        _store = TestStore.Sqlite();
        _dir = new TempDirectory();
        _out = new StringWriter();
        _err = new StringWriter();
    }

    [TearDown]
    public void DeleteStore()
    {
        _store.Dispose();
        _dir.Dispose();
        _out.Dispose();
        _err.Dispose();
    }

    [Test]
    public void Block_ByIdentity_BlocksAndRevokesGoodCertificatesAsCessationOfOperation()
    {
        string device = new('a', 64);
        CertificateRecord record = Seed(device);

        int exit = Run("block", device.ToUpperInvariant(), "--reason", "stolen");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, _err.ToString());
            Assert.That(_store.Store.IsBlocked(device), Is.True);
            Assert.That(_store.Store.Get(record.Serial)!.RevocationReason, Is.EqualTo(RevocationReason.CessationOfOperation));
            Assert.That(_out.ToString(), Does.StartWith($"blocked {device} since ").And.Contains("(stolen); revoked 1 certificate(s): " + SerialNumber.ToOpenSsl(record.Serial)));
            Assert.That(_store.Store.AuditTrail(1)[0].Action, Is.EqualTo("block"));
        }
    }

    [Test]
    public void Block_WithRevocationReason_UsesIt()
    {
        string device = new('b', 64);
        CertificateRecord record = Seed(device);

        int exit = Run("block", device, "--revocation-reason", "keyCompromise");

        Assert.That(exit, Is.Zero, _err.ToString());
        Assert.That(_store.Store.Get(record.Serial)!.RevocationReason, Is.EqualTo(RevocationReason.KeyCompromise));
    }

    [Test]
    public void Block_ByIdevidFile_UsesItsSha256ThumbprintAsIdentity()
    {
        using X509Certificate2 manufacturer = TestCertificates.CreateRootCa("CN=Manufacturer");
        using X509Certificate2 idevid = TestCertificates.CreateClient(manufacturer, "CN=device-42");
        string identity = DeviceIdentityText.Of(idevid);
        Seed(identity);
        string file = _dir.Write("idevid.pem", TestCertificates.Pem(idevid));

        int exit = Run("block", "--cert", file);

        Assert.That(exit, Is.Zero, _err.ToString());
        Assert.That(_store.Store.IsBlocked(identity), Is.True);
    }

    [Test]
    public void Unblock_Blocked_Exits0AndNotBlocked_Exits1()
    {
        string device = new('c', 64);
        _store.Store.Block(device, "test", RevocationReason.CessationOfOperation, DateTimeOffset.UtcNow, "test");

        int first = Run("unblock", device);
        int second = Run("unblock", device);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first, second), Is.EqualTo((0, 1)));
            Assert.That(_store.Store.IsBlocked(device), Is.False);
            Assert.That(_err.ToString(), Is.EqualTo($"estserver devices: device {device} is not blocked\n"));
        }
    }

    [TestCase("block")]
    [TestCase("block", "a", "b")]
    [TestCase("block", "a", "--cert", "x.pem")]
    [TestCase("unblock", "a", "--reason", "x")]
    [TestCase("block", "a", "--revocation-reason", "lost")]
    [TestCase("shred", "a")]
    public void Run_BadUsage_Exits2WithoutTouchingTheStore(params string[] args)
    {
        int exit = Run(args);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_store.Store.AuditTrail(10), Is.Empty);
    }

    [Test]
    public void Block_MissingCertFile_Exits2()
    {
        Assert.That(Run("block", "--cert", _dir.Combine("missing.pem")), Is.EqualTo(2));
        Assert.That(_err.ToString(), Does.StartWith("estserver devices: --cert "));
    }

    private int Run(params string[] args) => DevicesCommand.Run([.. args, $"--Est:DataDir={_store.DataDirectory}", "--Est:Database="], _out, _err);

    private CertificateRecord Seed(string device)
    {
        CertificateRecord record = TestCertificateRecord.Create(DateTimeOffset.UtcNow.AddMinutes(-1), deviceIdentity: device);
        _store.Store.Record(record, null);
        return record;
    }
}
