using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Revocation;
using EstServer.Host.Configuration;
using EstServer.Host.DevPki;
using EstServer.Host.Pki;
using EstServer.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EstServer.Host.Tests.DevPki;

/// <summary>
/// The development PKI's delegated OCSP responder files, written where the CA key is so hosts without
/// it can answer OCSP: created when missing, left alone while valid, renewed within 30 days of expiry.
/// </summary>
[TestFixture]
public sealed class DevOcspResponderTests
{
    private const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

    private TempDirectory _dir = null!;
    private PkiMaterial _pki = null!;
    private FakeTimeProvider _time = null!;
    private DevPkiLayout _target = null!;

    [OneTimeSetUp]
    public void CreateDevPki()
    {
        _dir = new TempDirectory();
        _pki = PkiMaterialLoader.Load(new EstOptions { DataDir = _dir.Path }, TimeProvider.System, PkiNeeds.CaKey);
    }

    [OneTimeTearDown]
    public void DeleteDevPki() => _dir.Dispose();

    [SetUp]
    public void NewTarget()
    {
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _target = new DevPkiLayout(_dir.Combine("target-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(_target.Directory);
    }

    [Test]
    public void EnsureCreated_NoFiles_WritesAResponderTheCaIssuedWithAnOwnerOnlyKey()
    {
        bool created = Ensure();

        using X509Certificate2 responder = X509Certificate2.CreateFromPemFile(_target.OcspResponderCertificate, _target.OcspResponderKey);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.True);
            Assert.That(responder.HasPrivateKey, Is.True, "the key belongs to the certificate");
            Assert.That(responder.IssuerName.RawData, Is.EqualTo(X509CertificateLoader.LoadCertificate(_pki.Ca.ChainDer[0]).SubjectName.RawData));
            Assert.That(responder.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value, Is.EqualTo(OcspSigningOid));
            Assert.That(responder.NotAfter.ToUniversalTime(), Is.EqualTo(_time.GetUtcNow().UtcDateTime.AddDays(2 * 365)).Within(TimeSpan.FromSeconds(2)));
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(_target.OcspResponderKey), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }
    }

    [Test]
    public void EnsureCreated_NoFiles_WritesFilesTheOcspIdentityLoads()
    {
        Ensure();

        using OcspSigningIdentity identity = OcspSigningIdentity.Load(
            DevOcspResponder.PemCertificate(_target.OcspResponderCertificate), ReadKey(_target.OcspResponderKey), _pki.Ca, _time);

        Assert.That(identity.CertificateDer, Is.Not.Empty);
    }

    [Test]
    public void EnsureCreated_Twice_SecondLeavesTheFilesAlone()
    {
        Ensure();
        string certificate = File.ReadAllText(_target.OcspResponderCertificate);
        string key = File.ReadAllText(_target.OcspResponderKey);

        bool again = Ensure();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.False);
            Assert.That(File.ReadAllText(_target.OcspResponderCertificate), Is.EqualTo(certificate));
            Assert.That(File.ReadAllText(_target.OcspResponderKey), Is.EqualTo(key));
        }
    }

    [Test]
    public void EnsureCreated_MoreThanThirtyDaysLeft_LeavesTheFilesAlone()
    {
        Ensure();
        string certificate = File.ReadAllText(_target.OcspResponderCertificate);
        _time.Advance(TimeSpan.FromDays((2 * 365) - 31));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ensure(), Is.False);
            Assert.That(File.ReadAllText(_target.OcspResponderCertificate), Is.EqualTo(certificate));
        }
    }

    [Test]
    public void EnsureCreated_WithinThirtyDaysOfExpiry_RenewsCertificateAndKey()
    {
        Ensure();
        string oldKey = File.ReadAllText(_target.OcspResponderKey);
        DateTime oldNotAfter = NotAfter();
        _time.Advance(TimeSpan.FromDays((2 * 365) - 29));

        bool renewed = Ensure();

        using X509Certificate2 responder = X509Certificate2.CreateFromPemFile(_target.OcspResponderCertificate, _target.OcspResponderKey);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(renewed, Is.True);
            Assert.That(NotAfter(), Is.GreaterThan(oldNotAfter.AddDays(300)));
            Assert.That(File.ReadAllText(_target.OcspResponderKey), Is.Not.EqualTo(oldKey), "a new key");
            Assert.That(responder.HasPrivateKey, Is.True, "the new key belongs to the new certificate");
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(_target.OcspResponderKey), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }
    }

    [Test]
    public void EnsureCreated_KeyFileMissing_WritesBothAgain()
    {
        Ensure();
        string oldCertificate = File.ReadAllText(_target.OcspResponderCertificate);
        File.Delete(_target.OcspResponderKey);

        bool created = Ensure();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created, Is.True);
            Assert.That(File.ReadAllText(_target.OcspResponderCertificate), Is.Not.EqualTo(oldCertificate));
            Assert.That(() => X509Certificate2.CreateFromPemFile(_target.OcspResponderCertificate, _target.OcspResponderKey).Dispose(), Throws.Nothing);
        }
    }

    [Test]
    public void PemCertificate_FileWithSeveralCertificates_ReturnsTheFirst()
    {
        Ensure();
        byte[] first = DevOcspResponder.PemCertificate(_target.OcspResponderCertificate);
        string bundle = _dir.Write("bundle-" + Guid.NewGuid().ToString("N") + ".pem",
            TestCertificates.Pem(first) + TestCertificates.Pem(_pki.Ca.ChainDer[0]));

        Assert.That(DevOcspResponder.PemCertificate(bundle), Is.EqualTo(first));
    }

    private bool Ensure() => DevOcspResponder.EnsureCreated(_target, _pki.Ca, _pki.Signer!, _time);

    private DateTime NotAfter()
    {
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(_target.OcspResponderCertificate);
        return certificate.NotAfter.ToUniversalTime();
    }

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter ReadKey(string path)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
    }
}
