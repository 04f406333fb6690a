using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Pipeline;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Pipeline;

public class ClientIdentityTests
{
    [Test]
    public void Constructor_Certificate_NamesSubjectAndSha256Thumbprint()
    {
        using X509Certificate2 ca = TestCertificates.CreateRootCa("CN=Identity CA");
        using X509Certificate2 device = TestCertificates.CreateClient(ca, "CN=identity-device");
        string expectedThumbprint = Convert.ToHexStringLower(SHA256.HashData(device.RawData));

        var identity = new ClientIdentity(device);

        Assert.Multiple(() =>
        {
            Assert.That(identity.Subject, Is.EqualTo("CN=identity-device"));
            Assert.That(identity.Sha256Thumbprint, Is.EqualTo(expectedThumbprint));
            Assert.That(identity.ToString(), Is.EqualTo($"CN=identity-device (sha256 {expectedThumbprint})"));
        });
    }
}
