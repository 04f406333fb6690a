using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Profiles;

public class CertificateProfileTests
{
    [Test]
    public void DeviceDefault_Defaults_AreAClientAuthDeviceCertificate()
    {
        var anchors = new TrustAnchors("factory CA", []);

        CertificateProfile profile = ModelProfiles.Device("devices", anchors);

        Assert.Multiple(() =>
        {
            Assert.That(profile.Name, Is.EqualTo("devices"));
            Assert.That(profile.DeviceIdentityAnchors, Is.SameAs(anchors));
            Assert.That(profile.Validity, Is.EqualTo(TimeSpan.FromDays(365)));
            Assert.That(profile.Backdate, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(profile.SerialBytes, Is.EqualTo(16));
            Assert.That(profile.KeyUsage, Is.EqualTo(KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment), "the builder masks keyEncipherment to RSA keys");
            Assert.That(profile.ExtendedKeyUsages, Is.EqualTo(new[] { "1.3.6.1.5.5.7.3.2" }));
            Assert.That(profile.BasicConstraintsCritical, Is.True);
            Assert.That(profile.Reenroll, Is.SameAs(ReenrollPolicy.Default));
            Assert.That(profile.Reenroll.GracePeriod, Is.EqualTo(TimeSpan.Zero));
            Assert.That(profile.Reenroll.RenewalWindow, Is.Null);
            Assert.That(profile.Reenroll.AllowSubjectChange, Is.False);
            Assert.That(profile.Keys, Is.SameAs(ModelProfiles.DeviceKeys));
            Assert.That(profile.CsrExtensions, Is.SameAs(CsrExtensionPolicy.DeviceDefault));
            Assert.That(profile.SubjectRules, Is.Null, "the CSR's subject is copied unchanged");
            Assert.That(profile.SubjectAltNameRules, Is.Null, "any subjectAltName is accepted");
            Assert.That(profile.Policies, Is.Empty);
            Assert.That(profile.Labels, Is.Empty);
            Assert.That(profile.ServesUnlabelled, Is.False);
        });
    }
}
