using EstServer.Host.DevPki;

namespace EstServer.Host.Tests.DevPki;

/// <summary>The fixed file names under DATA_DIR/dev-pki that the README, the start-up text and scripts rely on.</summary>
[TestFixture]
public sealed class DevPkiLayoutTests
{
    private readonly DevPkiLayout _layout = DevPkiLayout.InDataDir("/srv/est/data");

    [Test]
    public void InDataDir_DataDir_IsTheDevPkiSubdirectory()
    {
        Assert.That(_layout.Directory, Is.EqualTo("/srv/est/data/dev-pki"));
    }

    [Test]
    public void Constructor_RelativeDirectory_IsMadeAbsolute()
    {
        var layout = new DevPkiLayout("relative/dev-pki");

        Assert.That(layout.Directory, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "relative", "dev-pki")));
    }

    [Test]
    public void Files_Names_AreTheDocumentedOnes()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Path.GetFileName(_layout.TrustAnchor), Is.EqualTo("trust-anchor.pem"));
            Assert.That(Path.GetFileName(_layout.RootKey), Is.EqualTo("root-ca.key"));
            Assert.That(Path.GetFileName(_layout.IssuingCaCertificate), Is.EqualTo("issuing-ca.pem"));
            Assert.That(Path.GetFileName(_layout.IssuingCaKey), Is.EqualTo("issuing-ca.key"));
            Assert.That(Path.GetFileName(_layout.ServerCertificate), Is.EqualTo("server.pem"));
            Assert.That(Path.GetFileName(_layout.ServerKey), Is.EqualTo("server.key"));
            Assert.That(Path.GetFileName(_layout.ManufacturerCaCertificate), Is.EqualTo("manufacturer-ca.pem"));
            Assert.That(Path.GetFileName(_layout.ManufacturerCaKey), Is.EqualTo("manufacturer-ca.key"));
            Assert.That(Path.GetFileName(_layout.DeviceCertificate), Is.EqualTo("device.pem"));
            Assert.That(Path.GetFileName(_layout.DeviceKey), Is.EqualTo("device.key"));
            Assert.That(Path.GetFileName(_layout.DevicesDirectory), Is.EqualTo("devices"));
            Assert.That(Path.GetDirectoryName(_layout.DeviceKey), Is.EqualTo(_layout.Directory));
        }
    }

    [Test]
    public void RequiredFiles_ThePublicCertificatesEveryProcessReads_NoKeysAndNotTheDevicesDirectory()
    {
        Assert.That(_layout.RequiredFiles, Is.EqualTo(new[]
        {
            _layout.TrustAnchor, _layout.IssuingCaCertificate, _layout.ManufacturerCaCertificate, _layout.DeviceCertificate,
        }));
    }

    [Test]
    public void Exists_NoDirectory_IsFalse()
    {
        var layout = DevPkiLayout.InDataDir(Path.Combine(Path.GetTempPath(), "estserver-host-tests", Guid.NewGuid().ToString("N")));

        Assert.That(layout.Exists, Is.False);
    }
}
