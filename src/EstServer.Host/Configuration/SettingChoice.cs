namespace EstServer.Host.Configuration;

/// <summary>
/// A setting that names one value of an enum, spelled exactly as its lower-case name ("refuse",
/// "json"): the one rule by which the validator checks such a setting and the code that uses it reads it.
/// </summary>
public static class SettingChoice
{
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>For code that runs after validation; a value the validator would have refused still stops with its message.</summary>
    public static T Parse<T>(string setting, string? text)
        where T : struct, Enum =>
        TryParse(text, out T value) ? value : throw new EstConfigurationException(Problem<T>(setting));

    /// <summary>"Est:LogFormat must be text or json".</summary>
    public static string Problem<T>(string setting)
        where T : struct, Enum =>
        $"{setting} must be {string.Join(" or ", Enum.GetValues<T>().Select(Name))}";

    private static string Name<T>(T value)
        where T : struct, Enum =>
        value.ToString().ToLowerInvariant();
}
