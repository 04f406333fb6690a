using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EstServer.Host.Admin;

/// <summary>
/// A device identity as the store keeps it: the lowercase SHA-256 hex of the device's IDevID. Operators
/// paste it from <c>certs list</c>, from <c>openssl x509 -fingerprint -sha256</c> (upper case, colons) or
/// give the IDevID itself, so all of those come to the same value.
/// </summary>
public static class DeviceIdentityText
{
    public static bool TryNormalize(string? text, out string identity)
    {
        identity = "";
        string value = text?.Trim() ?? "";
        if (value.StartsWith("sha256 fingerprint=", StringComparison.OrdinalIgnoreCase))
        {
            value = value["sha256 fingerprint=".Length..];
        }

        string compact = value.Replace(":", "", StringComparison.Ordinal);
        if (compact.Length == 64 && compact.All(char.IsAsciiHexDigit))
        {
            identity = compact.ToLowerInvariant();
            return true;
        }

        // Not a thumbprint: kept as given (the store matches exactly), so an identity recorded in
        // another form can still be named; only blanks and control characters are refused.
        if (value.Length is 0 or > 256 || value.Any(char.IsControl))
        {
            return false;
        }

        identity = value;
        return true;
    }

    /// <summary>The identity a device's IDevID stands for.</summary>
    public static string Of(X509Certificate2 idevid) => Convert.ToHexStringLower(idevid.GetCertHash(HashAlgorithmName.SHA256));
}
