using System.Globalization;
using EstServer.Core.Errors;
using EstServer.Core.Queue;

namespace EstServer.Redis;

/// <summary>A finished job's outcome as stored under its result key: "I:" + base64 DER, or "R:" + kind + ":" + retry-after seconds + ":" + reason.</summary>
public static class SigningOutcomeCodec
{
    public static string Encode(SigningOutcome outcome) => outcome switch
    {
        SigningOutcome.Issued issued => "I:" + Convert.ToBase64String(issued.CertificateDer),
        SigningOutcome.Refused refused => string.Create(CultureInfo.InvariantCulture,
            $"R:{refused.Error.Kind}:{(int)(refused.Error.RetryAfter?.TotalSeconds ?? 0)}:{refused.Error.Reason}"),
        _ => throw new ArgumentException("only finished outcomes are stored", nameof(outcome)),
    };

    public static SigningOutcome? Decode(string? stored)
    {
        if (stored is null || stored.Length < 2)
        {
            return null;
        }

        if (stored.StartsWith("I:", StringComparison.Ordinal))
        {
            byte[] der = new byte[(stored.Length - 2) * 3 / 4];
            return Convert.TryFromBase64String(stored[2..], der, out int written) ? new SigningOutcome.Issued(der[..written]) : null;
        }

        string[] parts = stored.Split(':', 4);
        if (parts.Length == 4 && parts[0] == "R" && Enum.TryParse(parts[1], out EstErrorKind kind)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int retryAfter))
        {
            return new SigningOutcome.Refused(new EstError(kind, parts[3], retryAfter > 0 ? TimeSpan.FromSeconds(retryAfter) : null));
        }

        return null;
    }
}
