using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>policies: the certificatePolicies entries (RFC 5280 §4.2.1.4).</summary>
public sealed class PoliciesSectionReaderTests : ProfileReaderFixture
{
    [TestCase("1.2.abc")]
    [TestCase("3.1.2")]
    [TestCase("1")]
    [TestCase("1.02.3")]
    [TestCase("1..2")]
    public void Read_BadPolicyOid_Reported(string oid)
    {
        AssertSingle(Kit.Read(With("  - oid: 2.999.1.1", $"  - oid: '{oid}'")), "policies.oid",
            $"'{oid}' is not a dotted object identifier (e.g. 1.3.6.1.4.1.99999.1.1)", 4, 10);
    }

    [Test]
    public void Read_PolicyListedTwice_ReportedAtTheSecond()
    {
        AssertSingle(Kit.Read(With("  - oid: 2.999.1.1", "  - oid: 2.999.1.1\n  - oid: 2.999.1.1")), "policies.oid", "policy 2.999.1.1 is listed twice", 5, 10);
    }

    [TestCase("ftp://pki.example.com/cps")]
    [TestCase("pki.example.com/cps")]
    [TestCase("file:///etc/cps")]
    public void Read_NonHttpCps_Reported(string cps)
    {
        AssertSingle(Kit.Read(With("  - oid: 2.999.1.1", $"  - oid: 2.999.1.1\n    cps: {cps}")), "policies.cps",
            $"cps '{cps}' must be an absolute http or https URI", 5, 10);
    }

    [Test]
    public void Read_NoticeOver200Characters_Reported()
    {
        AssertSingle(Kit.Read(With("  - oid: 2.999.1.1", $"  - oid: 2.999.1.1\n    notice: {new string('n', 201)}")), "policies.notice",
            "notice must be 1-200 characters (RFC 5280 §4.2.1.4)", 5, 13);
    }
}
