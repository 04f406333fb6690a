using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace EstServer.Host.Admin;

/// <summary>
/// A time span as operators type it: a count and a unit (90s, 15m, 12h, 30d, 2w) or ISO 8601 (P30D,
/// PT12H). Shared by the admin API and the CLI so "expiring within" means the same on both.
/// </summary>
public static partial class DurationText
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

        Match match = Short().Match(value);
        if (!match.Success)
        {
            return false;
        }

        long count = long.Parse(match.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        duration = char.ToLowerInvariant(match.Groups["unit"].Value[0]) switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            _ => TimeSpan.FromDays(7 * count),
        };
        return duration > TimeSpan.Zero;
    }

    // At most six digits: a million weeks is far past any certificate, and far inside TimeSpan.
    [GeneratedRegex("^(?<count>[0-9]{1,6})(?<unit>[smhdwSMHDW])$")]
    private static partial Regex Short();
}
