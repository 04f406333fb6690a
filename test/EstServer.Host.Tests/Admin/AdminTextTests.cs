using EstServer.Core.Lifecycle;
using EstServer.Host.Admin;

namespace EstServer.Host.Tests.Admin;

/// <summary>The values operators type, read the same by the admin API and the CLI.</summary>
[TestFixture]
public sealed class AdminTextTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase("30d", 30 * 24 * 3600)]
    [TestCase("12h", 12 * 3600)]
    [TestCase("15M", 15 * 60)]
    [TestCase("2w", 14 * 24 * 3600)]
    [TestCase("P30D", 30 * 24 * 3600)]
    [TestCase("pt12h", 12 * 3600)]
    public void TryParse_Duration_ReadsIt(string text, int seconds)
    {
        Assert.That(ExpiryWindowText.TryParse(text, out TimeSpan duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("")]
    [TestCase("0d")]
    [TestCase("30")]
    [TestCase("d30")]
    [TestCase("P")]
    [TestCase("1234567d")]
    [TestCase("-P1D")]
    public void TryParse_NotADuration_IsFalse(string text)
    {
        Assert.That(ExpiryWindowText.TryParse(text, out _), Is.False);
    }

    [Test]
    public void TryNormalize_FingerprintWithColonsUpperCase_IsLowerHex()
    {
        string hex = string.Concat(Enumerable.Repeat("AB", 32));
        string colons = "sha256 Fingerprint=" + string.Join(':', Enumerable.Repeat("AB", 32));

        Assert.That(DeviceIdentityText.TryNormalize(colons, out string identity), Is.True);
        Assert.That(identity, Is.EqualTo(hex.ToLowerInvariant()));
    }

    [TestCase("")]
    [TestCase("  ")]
    [TestCase("a\nb")]
    public void TryNormalize_BlankOrControl_IsFalse(string text)
    {
        Assert.That(DeviceIdentityText.TryNormalize(text, out _), Is.False);
    }

    [Test]
    public void Parse_AllFilters_MakesTheQuery()
    {
        CertificateQuery query = AdminQueryParser.Parse("dev-1", " gateway ", "device", "Revoked", "12h", "7", Now).Value;

        Assert.That(query, Is.EqualTo(new CertificateQuery
        {
            DeviceIdentity = "dev-1", SubjectContains = "gateway", Profile = "device", Status = CertificateStatus.Revoked, ExpiringBefore = Now.AddHours(12), Limit = 7,
        }));
    }

    [Test]
    public void Parse_NothingSet_IsTheDefaultQuery()
    {
        Assert.That(AdminQueryParser.Parse(null, null, null, null, null, null, Now).Value, Is.EqualTo(new CertificateQuery { Limit = AdminQueryParser.DefaultLimit }));
    }

    [TestCase("10001")]
    [TestCase("0")]
    [TestCase("1.5")]
    public void Parse_LimitOutOfRange_IsBadRequest(string limit)
    {
        Assert.That(AdminQueryParser.Parse(null, null, null, null, null, limit, Now).IsSuccess, Is.False);
    }
}
