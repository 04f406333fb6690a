using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.TestSupport;

namespace EstServer.Core.Tests.Pipeline;

public class RequesterTests
{
    [Test]
    public void From_Certificate_NamesSubjectAndSha256Thumbprint()
    {
        using X509Certificate2 ca = TestCertificates.CreateRootCa("CN=Identity CA");
        using X509Certificate2 device = TestCertificates.CreateClient(ca, "CN=identity-device");
        string expectedThumbprint = Convert.ToHexStringLower(SHA256.HashData(device.RawData));

        Requester requester = Requester.From(device);

        Assert.Multiple(() =>
        {
            Assert.That(requester.Subject, Is.EqualTo("CN=identity-device"));
            Assert.That(requester.Sha256Thumbprint, Is.EqualTo(expectedThumbprint));
            Assert.That(requester.ToString(), Is.EqualTo($"CN=identity-device (sha256 {expectedThumbprint})"));
            Assert.That(requester.Der, Is.EqualTo(device.RawData));
        });
    }

    [Test]
    public void Describe_MultiAttributeSubject_NamesTheClientAsToStringDoes()
    {
        using X509Certificate2 ca = TestCertificates.CreateRootCa("CN=Identity CA");
        using X509Certificate2 device = TestCertificates.CreateClient(ca, "CN=SN-0042, OU=Line 3, O=Device Maker");

        Assert.That(Requester.Describe(device), Is.EqualTo(Requester.From(device).ToString()));
    }

    [Test]
    public void FromDer_JobCertificate_SameAsFromTheHandshake()
    {
        using X509Certificate2 ca = TestCertificates.CreateRootCa("CN=Identity CA");
        using X509Certificate2 device = TestCertificates.CreateClient(ca, "CN=job-device, O=Maker");

        Result<Requester> requester = Requester.FromDer(device.RawData);

        Assert.That(requester.IsSuccess, Is.True, requester.Error?.Reason);
        Assert.That(requester.Value.ToString(), Is.EqualTo(Requester.From(device).ToString()));
    }

    [TestCase(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [TestCase(new byte[] { 0x04, 0x02, 0xAB, 0xCD })]
    [TestCase(new byte[0])]
    public void FromDer_NotACertificate_RefusedBadRequest(byte[] der)
    {
        Result<Requester> requester = Requester.FromDer(der);

        Assert.That(requester.IsSuccess, Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(requester.Error!.Kind, Is.EqualTo(EstErrorKind.BadRequest));
            Assert.That(requester.Error.Reason, Does.Contain("client certificate is malformed"));
        });
    }
}
