using System.Globalization;

namespace EstServer.Core.Profiles.Loading;

/// <summary>Durations as ops people write them: a number and a unit, e.g. 365d, 12h, 30m, 90s, 2w.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            return false;
        }

        TimeSpan? unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            'w' => TimeSpan.FromDays(7),
            _ => null,
        };
        if (unit is null || amount > 100_000)
        {
            return false;
        }

        duration = unit.Value * amount;
        return true;
    }
}
