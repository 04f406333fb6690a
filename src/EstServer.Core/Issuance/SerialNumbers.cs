using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace EstServer.Core.Issuance;

/// <summary>
/// Certificate serial numbers: positive, at most 20 octets (RFC 5280 §4.1.2.2), with 126 random bits,
/// well over the 64 bits of entropy the CA/Browser Forum requires.
/// </summary>
public static class SerialNumbers
{
    public static BigInteger Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x01 << 6; // keep the encoding a full 16 octets so serials have a uniform length
        return new BigInteger(1, bytes);
    }
}
