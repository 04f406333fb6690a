using EstServer.Core.Profiles.Loading;
using EstServer.Core.Tests.Support;
using static EstServer.Core.Tests.Support.MinimalProfileYaml;
using static EstServer.Core.Tests.Support.ProfileReadAssert;

namespace EstServer.Core.Tests.Profiles.Loading.Sections;

/// <summary>serialBytes.</summary>
public sealed class SerialNumberSectionReaderTests : ProfileReaderFixture
{
    [TestCase(8)]
    [TestCase(21)]
    [TestCase(0)]
    public void Read_SerialBytesOutOfRange_Reported(int serialBytes)
    {
        AssertSingle(Kit.Read(With("validity: 30d", $"validity: 30d\nserialBytes: {serialBytes}")), "serialBytes",
            "serialBytes must be 9 to 20 (RFC 5280 §4.1.2.2 allows 20; 9 octets carry more than the 64 random bits the CA/B Forum asks for)", 6, 14);
    }

    [Test]
    public void Read_SerialBytesNotANumber_Reported()
    {
        AssertSingle(Kit.Read(With("validity: 30d", "validity: 30d\nserialBytes: sixteen")), "serialBytes", "'sixteen' is not a whole number", 6, 14);
    }
}
