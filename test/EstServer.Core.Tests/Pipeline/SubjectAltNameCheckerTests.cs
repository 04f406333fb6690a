using System.Text.RegularExpressions;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Profiles;
using EstServer.Core.Trust;
using EstServer.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EstServer.Core.Tests.Pipeline;

public class SubjectAltNameCheckerTests
{
    [Test]
    public void Check_NoRules_AnythingAccepted()
    {
        CertificateProfile profile = Profile(null);
        var names = new GeneralNames([new GeneralName(GeneralName.RegisteredID, "1.2.3"), new GeneralName(GeneralName.DnsName, "x")]);

        Assert.That(SubjectAltNameChecker.Check(names, profile), Is.Null);
    }

    [Test]
    public void Check_NoRequestAndNoMinimum_Accepted()
    {
        Assert.That(SubjectAltNameChecker.Check(null, Profile([Rule(SubjectAltNameType.Dns)])), Is.Null);
    }

    [Test]
    public void Check_UriMatchingPattern_Accepted()
    {
        CertificateProfile profile = Profile([Rule(SubjectAltNameType.Uri, "urn:dev:[0-9]+")]);

        Assert.That(SubjectAltNameChecker.Check(Names(new GeneralName(GeneralName.UniformResourceIdentifier, "urn:dev:42")), profile), Is.Null);
    }

    [Test]
    public void Check_EmailMismatchingPattern_BadRequestQuotingValue()
    {
        CertificateProfile profile = Profile([Rule(SubjectAltNameType.Email, "[a-z]+@devices\\.example")]);

        EstError? error = SubjectAltNameChecker.Check(Names(new GeneralName(GeneralName.Rfc822Name, "x@evil.example")), profile);

        Assert.That(error?.Kind, Is.EqualTo(EstErrorKind.BadRequest));
        Assert.That(error!.Reason, Is.EqualTo("subjectAltName email 'x@evil.example' does not match the profile's pattern ^(?:[a-z]+@devices\\.example)$"));
    }

    [Test]
    public void Check_Ipv6Address_ComparedInItsTextForm()
    {
        CertificateProfile profile = Profile([Rule(SubjectAltNameType.Ip, "2001:db8::[0-9a-f]+")]);

        Assert.That(SubjectAltNameChecker.Check(Names(new GeneralName(GeneralName.IPAddress, "2001:db8::1")), profile), Is.Null);
    }

    [Test]
    public void Check_IpAddressOfWrongLength_Refused()
    {
        // Eight octets are an address with a mask (name constraints), not an address a certificate can carry.
        var addressAndMask = new GeneralName(GeneralName.IPAddress, new DerOctetString(new byte[] { 10, 0, 0, 1, 255, 255, 255, 0 }));

        EstError? error = SubjectAltNameChecker.Check(Names(addressAndMask), Profile([Rule(SubjectAltNameType.Ip)]));

        Assert.That(error?.Reason, Is.EqualTo("subjectAltName entries of kind [7] are not allowed by profile 'sans'"));
    }

    [Test]
    public void Check_MinimumOfSecondTypeMissing_BadRequestNamingIt()
    {
        CertificateProfile profile = Profile([Rule(SubjectAltNameType.Dns), Rule(SubjectAltNameType.Uri) with { Min = 1 }]);

        EstError? error = SubjectAltNameChecker.Check(Names(new GeneralName(GeneralName.DnsName, "a.example")), profile);

        Assert.That(error?.Reason, Is.EqualTo("at least 1 subjectAltName uri entries are required"));
    }

    [TestCase(SubjectAltNameType.Dns, "dns")]
    [TestCase(SubjectAltNameType.Ip, "ip")]
    [TestCase(SubjectAltNameType.Email, "email")]
    [TestCase(SubjectAltNameType.Uri, "uri")]
    public void Label_EachType_ConfigurationName(SubjectAltNameType type, string label)
    {
        Assert.That(SubjectAltNameChecker.Label(type), Is.EqualTo(label));
    }

    private static GeneralNames Names(params GeneralName[] names) => new(names);

    private static SubjectAltNameRule Rule(SubjectAltNameType type, string? pattern = null) => new()
    {
        Type = type,
        Pattern = pattern is null ? null : new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
        Max = 5,
    };

    private static CertificateProfile Profile(IReadOnlyList<SubjectAltNameRule>? rules) =>
        ModelProfiles.Device("sans", new TrustAnchors("none", [])) with { SubjectAltNameRules = rules };
}
