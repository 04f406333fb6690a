using System.Security.Cryptography.X509Certificates;
using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EstServer.Core.Tests.Pipeline;

public class ReenrollmentRulesTests
{
    private const string Subject = "CN=device-42, OU=Meters, O=EstServer Tests";

    private X509Certificate2 _ca = null!;
    private BcCertificate _withSan = null!;
    private BcCertificate _withoutSan = null!;
    private BcCertificate _withMail = null!;

    [OneTimeSetUp]
    public void CreateCertificates()
    {
        _ca = TestCertificates.CreateRootCa("CN=Reenroll Test CA");
        using X509Certificate2 withSan = TestCertificates.CreateClient(_ca, Subject, dnsNames: ["Device-42.Example.com", "meter.example.com"]);
        using X509Certificate2 withoutSan = TestCertificates.CreateClient(_ca, Subject);
        _withSan = new BcCertificate(withSan.RawData);
        _withoutSan = new BcCertificate(withoutSan.RawData);
        _withMail = CreateWithMail(_ca, Subject, "Device.42@example.com");
    }

    private static BcCertificate CreateWithMail(X509Certificate2 issuer, string subject, string address)
    {
        using X509Certificate2 certificate = TestCertificates.CreateClient(issuer, subject, emailAddresses: [address]);
        return new BcCertificate(certificate.RawData);
    }

    [OneTimeTearDown]
    public void DisposeCa() => _ca.Dispose();

    [Test]
    public void CheckSameNames_SameSubjectAndSan_ReturnsNull()
    {
        Assert.That(Check(Subject, ["Device-42.Example.com", "meter.example.com"], _withSan), Is.Null);
    }

    [Test]
    public void CheckSameNames_DnsNamesInOtherCase_ReturnsNull()
    {
        Assert.That(Check(Subject, ["device-42.example.com", "METER.EXAMPLE.COM"], _withSan), Is.Null);
    }

    [Test]
    public void CheckSameNames_DnsNamesInOtherOrder_ReturnsNull()
    {
        Assert.That(Check(Subject, ["meter.example.com", "Device-42.Example.com"], _withSan), Is.Null);
    }

    [Test]
    public void CheckSameNames_NoSanOnEither_ReturnsNull()
    {
        Assert.That(Check(Subject, null, _withoutSan), Is.Null);
    }

    [Test]
    public void CheckSameNames_DifferentSubject_ReturnsForbiddenNamingBoth()
    {
        EstError? error = Check("CN=device-43, OU=Meters, O=EstServer Tests", ["Device-42.Example.com", "meter.example.com"], _withSan);

        AssertForbidden(error, "subject");
        Assert.That(error!.Reason, Does.Contain("device-42").And.Contain("device-43"));
    }

    [Test]
    public void CheckSameNames_SubjectAttributesReordered_ReturnsForbidden()
    {
        AssertForbidden(Check("O=EstServer Tests, OU=Meters, CN=device-42", ["Device-42.Example.com", "meter.example.com"], _withSan), "subject");
    }

    [Test]
    public void CheckSameNames_DifferentDnsName_ReturnsForbidden()
    {
        AssertForbidden(Check(Subject, ["Device-42.Example.com", "gateway.example.com"], _withSan), "subjectAltName");
    }

    [Test]
    public void CheckSameNames_DnsNameDropped_ReturnsForbidden()
    {
        AssertForbidden(Check(Subject, ["Device-42.Example.com"], _withSan), "subjectAltName");
    }

    [Test]
    public void CheckSameNames_SanDroppedEntirely_ReturnsForbidden()
    {
        AssertForbidden(Check(Subject, null, _withSan), "subjectAltName");
    }

    [Test]
    public void CheckSameNames_SanAdded_ReturnsForbidden()
    {
        AssertForbidden(Check(Subject, ["new.example.com"], _withoutSan), "subjectAltName");
    }

    [Test]
    public void CheckSameNames_MailDomainInOtherCase_ReturnsNull()
    {
        // RFC 5280 §7.5: the domain part of a mail address compares case-insensitively.
        Assert.That(ReenrollmentRules.CheckSameNames(_withMail.SubjectDN, Mail("Device.42@EXAMPLE.com"), _withMail), Is.Null);
    }

    [Test]
    public void CheckSameNames_MailLocalPartInOtherCase_ReturnsForbidden()
    {
        // RFC 5280 §7.5: the local part is compared exactly.
        AssertForbidden(ReenrollmentRules.CheckSameNames(_withMail.SubjectDN, Mail("device.42@example.com"), _withMail), "subjectAltName");
    }

    [Test]
    public void CheckSameNames_SubjectBuiltWithoutCsr_ComparesTheBuiltName()
    {
        // The caller passes the subject the renewed certificate would carry (profile values filled in),
        // not the CSR's: so the comparison takes X509Name and GeneralNames, whatever the CSR said.
        // .NET writes "CN=.., OU=.., O=.." with O first in the encoding.
        var built = new X509Name("O=EstServer Tests,OU=Meters,CN=device-42");

        Assert.That(ReenrollmentRules.CheckSameNames(built, null, _withoutSan), Is.Null);
    }

    private static EstError? Check(string subject, string[]? dnsNames, BcCertificate current)
    {
        Result<CertificationRequest> csr = CsrDecoder.Decode(TestCsr.Create(subject, dnsNames: dnsNames).Der);
        Assert.That(csr.IsSuccess, Is.True, csr.Error?.Reason);
        return ReenrollmentRules.CheckSameNames(csr.Value.Subject, csr.Value.SubjectAltNames, current);
    }

    private static GeneralNames Mail(string address) => new(new GeneralName(GeneralName.Rfc822Name, address));

    private static void AssertForbidden(EstError? error, string reasonFragment)
    {
        Assert.That(error, Is.Not.Null, "expected a refusal");
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(EstErrorKind.Forbidden));
            Assert.That(error.Reason, Does.Contain(reasonFragment));
        });
    }
}
