namespace EstServer.Core.Lifecycle;

/// <summary>Reads and names <see cref="RevocationReason"/> the way RFC 5280 and openssl spell them (keyCompromise, cessationOfOperation, ...).</summary>
public static class RevocationReasons
{
    /// <summary>The RFC 5280 name, e.g. "keyCompromise".</summary>
    public static string Name(RevocationReason reason)
    {
        string name = reason.ToString();
        return reason switch
        {
            RevocationReason.CaCompromise => "cACompromise",
            RevocationReason.AaCompromise => "aACompromise",
            _ => char.ToLowerInvariant(name[0]) + name[1..],
        };
    }

    /// <summary>Accepts the RFC 5280 name in any case, with or without '-' or '_' (key-compromise, KEY_COMPROMISE), or the number.</summary>
    public static bool TryParse(string? text, out RevocationReason reason)
    {
        reason = RevocationReason.Unspecified;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string folded = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (int.TryParse(folded, out int number))
        {
            reason = (RevocationReason)number;
            return Enum.IsDefined(reason);
        }

        foreach (RevocationReason candidate in Enum.GetValues<RevocationReason>())
        {
            if (string.Equals(candidate.ToString(), folded, StringComparison.OrdinalIgnoreCase))
            {
                reason = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>Every accepted name, for error messages and usage.</summary>
    public static string Choices => string.Join(", ", Enum.GetValues<RevocationReason>().Select(Name));
}
