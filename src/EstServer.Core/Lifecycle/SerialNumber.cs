using System.Globalization;

namespace EstServer.Core.Lifecycle;

/// <summary>
/// A certificate serial number in the one form the store keeps: lowercase hex of the positive integer
/// with no leading zeros (what BouncyCastle's BigInteger.ToString(16) prints). Operators paste serials
/// as <c>openssl x509 -serial</c> prints them (serial=0A1B..., upper case, padded) or as
/// <c>openssl x509 -text</c> does (0a:1b:...), so all of those are accepted.
/// </summary>
public static class SerialNumber
{
    public static bool TryNormalize(string? text, out string serialHex)
    {
        serialHex = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        if (value.StartsWith("serial=", StringComparison.OrdinalIgnoreCase))
        {
            value = value["serial=".Length..];
        }

        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        value = value.Replace(":", "", StringComparison.Ordinal);
        // RFC 5280 §4.1.2.2: at most 20 octets.
        if (value.Length is 0 or > 40 || !value.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        string trimmed = value.TrimStart('0').ToLower(CultureInfo.InvariantCulture);
        serialHex = trimmed.Length == 0 ? "0" : trimmed;
        return true;
    }

    /// <summary>openssl's spelling, for output operators compare with <c>openssl x509 -serial</c>: upper case, even length.</summary>
    public static string ToOpenSsl(string serialHex)
    {
        string upper = serialHex.ToUpperInvariant();
        return upper.Length % 2 == 1 ? "0" + upper : upper;
    }
}
