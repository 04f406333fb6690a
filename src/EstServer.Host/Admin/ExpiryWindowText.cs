using System.Xml;
using EstServer.Core.Profiles.Loading;

namespace EstServer.Host.Admin;

/// <summary>
/// "Expiring within" as operators type it: the profiles' duration form (30d, 12h, 15m, 2w; here in any
/// case) or ISO 8601 (P30D, PT12H). Shared by the admin API and the CLI so both read it alike.
/// </summary>
public static class ExpiryWindowText
{
    public const string Examples = "30d, 12h, 15m, 2w or P30D";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        string value = text?.Trim() ?? "";
        if (value.StartsWith('P') || value.StartsWith('p'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(value.ToUpperInvariant());
            }
            catch (Exception exception) when (exception is FormatException or OverflowException)
            {
                return false;
            }

            return duration > TimeSpan.Zero;
        }

        return DurationText.TryParse(value.ToLowerInvariant(), out duration) && duration > TimeSpan.Zero;
    }
}
