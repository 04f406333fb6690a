using EstServer.Core.Issuance;
using Org.BouncyCastle.Math;

namespace EstServer.Core.Tests.Issuance;

public class SerialNumbersTests
{
    [Test]
    public void Next_ManySerials_PositiveAndSixteenOctets()
    {
        for (int i = 0; i < 1000; i++)
        {
            BigInteger serial = SerialNumbers.Next();

            Assert.That(serial.SignValue, Is.EqualTo(1));
            Assert.That(serial.BitLength, Is.EqualTo(127), "bit 126 set, bit 127 clear: 16 octets, never a 17th sign octet");
            Assert.That(serial.ToByteArray(), Has.Length.EqualTo(16), "the DER INTEGER content");
        }
    }

    [Test]
    public void Next_ManySerials_AllDistinct()
    {
        var serials = Enumerable.Range(0, 5000).Select(_ => SerialNumbers.Next().ToString(16)).ToList();

        Assert.That(serials, Is.Unique);
    }

    [Test]
    public void Next_LowerBits_TakeBothValues()
    {
        // Each of the 126 random bits is 0 in some and 1 in other of 256 serials; a stuck bit (less
        // entropy than claimed) fails this, chance alone with probability below 2^-240.
        BigInteger[] serials = Enumerable.Range(0, 256).Select(_ => SerialNumbers.Next()).ToArray();

        var stuck = Enumerable.Range(0, 126).Where(bit => serials.All(s => s.TestBit(bit)) || serials.All(s => !s.TestBit(bit))).ToList();

        Assert.That(stuck, Is.Empty);
    }
}
