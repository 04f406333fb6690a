using EstServer.Core.Authentication;
using EstServer.Core.Profiles;

namespace EstServer.Core.Tests.Profiles;

public class CertificateProfileTests
{
    [Test]
    public void DeviceDefault_Defaults_AreAClientAuthDeviceCertificate()
    {
        var anchors = new TrustAnchors("factory CA", []);

        CertificateProfile profile = CertificateProfile.DeviceDefault("devices", anchors);

        Assert.Multiple(() =>
        {
            Assert.That(profile.Name, Is.EqualTo("devices"));
            Assert.That(profile.DeviceIdentityAnchors, Is.SameAs(anchors));
            Assert.That(profile.Validity, Is.EqualTo(TimeSpan.FromDays(365)));
            Assert.That(profile.Backdate, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(profile.KeyUsage, Is.EqualTo(Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature));
            Assert.That(profile.KeyEnciphermentForRsa, Is.True);
            Assert.That(profile.ExtendedKeyUsages, Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.2" }));
            Assert.That(profile.ReenrollGracePeriod, Is.EqualTo(TimeSpan.Zero));
            Assert.That(profile.Keys, Is.SameAs(KeyPolicy.DeviceDefault));
        });
    }
}
