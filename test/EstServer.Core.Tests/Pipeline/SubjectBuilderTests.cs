using EstServer.Core.Csr;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Tests.Support;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using static EstServer.Core.Tests.Support.RequestFactory;

namespace EstServer.Core.Tests.Pipeline;

public class SubjectBuilderTests
{
    private static readonly CertificateProfile NoRules = ModelProfiles.Device("copy", new TrustAnchors("none", []));

    [Test]
    public void Build_NoSubjectRules_CsrSubjectUnchangedIncludingEncoding()
    {
        var subject = new X509Name(new[] { X509Name.CN, X509Name.SerialNumber }, new[] { "dev-1", "SN_1" }, new Utf8NameConverter());
        CertificationRequest csr = RequestFactory.Decode(TestCsr.Create(subject).Der);

        Result<X509Name> built = SubjectBuilder.Build(csr, NoRules, new X509Name("CN=client"));

        Assert.That(built.IsSuccess, Is.True);
        Assert.That(built.Value.GetEncoded(Asn1Encodable.Der), Is.EqualTo(csr.Subject.GetEncoded(Asn1Encodable.Der)));
    }

    [Test]
    public void Build_EmptyCsrSubject_FixedAndClientValuesStillWritten()
    {
        CertificateProfile profile = NoRules with
        {
            SubjectRules =
            [
                new SubjectAttributeRule { Oid = X509Name.O.Id, Name = "O", Source = SubjectValueSource.Fixed, FixedValue = "Example" },
                new SubjectAttributeRule { Oid = X509Name.SerialNumber.Id, Name = "serialNumber", Source = SubjectValueSource.ClientCertificate },
            ],
        };
        CertificationRequest csr = RequestFactory.Decode(TestCsr.Create(new X509Name(new List<DerObjectIdentifier>(), new List<string>())).Der);

        Result<X509Name> built = SubjectBuilder.Build(csr, profile, Name((X509Name.CN, "idevid"), (X509Name.SerialNumber, "SN-1")));

        Assert.That(built.IsSuccess, Is.True, built.Error?.Reason);
        Assert.That(built.Value.GetValueList(), Is.EqualTo(new[] { "Example", "SN-1" }));
    }

    [Test]
    public void Build_EmptyRuleList_EveryCsrAttributeRefused()
    {
        CertificationRequest csr = RequestFactory.Decode(TestCsr.Create(Name((X509Name.CN, "dev-1"))).Der);

        Result<X509Name> built = SubjectBuilder.Build(csr, NoRules with { SubjectRules = [] }, new X509Name("CN=client"));

        Assert.That(built.Error?.Reason, Is.EqualTo("subject attribute CN is not allowed by profile 'copy'"));
    }

    [Test]
    public void Build_UnnamedAttributeType_RefusalNamesOid()
    {
        CertificationRequest csr = RequestFactory.Decode(TestCsr.Create(Name((new DerObjectIdentifier("1.3.6.1.4.1.99999.1"), "x"))).Der);

        Result<X509Name> built = SubjectBuilder.Build(csr, NoRules with { SubjectRules = [] }, new X509Name("CN=client"));

        Assert.That(built.Error?.Reason, Is.EqualTo("subject attribute 1.3.6.1.4.1.99999.1 is not allowed by profile 'copy'"));
    }
}
