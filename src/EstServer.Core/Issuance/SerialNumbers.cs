using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace EstServer.Core.Issuance;

/// <summary>
/// Certificate serial numbers: positive, at most 20 octets (RFC 5280 §4.1.2.2), with (8 × octets − 2) random bits (126 by default),
/// well over the 64 bits of entropy the CA/Browser Forum requires.
/// </summary>
public static class SerialNumbers
{
    public static BigInteger Next(int octets = 16)
    {
        if (octets is < 9 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(octets), octets, "a serial number has 9 to 20 octets");
        }

        Span<byte> bytes = stackalloc byte[octets];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x01 << 6; // keep the encoding a full 16 octets so serials have a uniform length
        return new BigInteger(1, bytes);
    }
}
