using System.Globalization;
using EstServer.Core.Errors;
using EstServer.Core.Lifecycle;

namespace EstServer.Host.Admin;

/// <summary>
/// Turns the filters an operator typed (query string or CLI options) into a <see cref="CertificateQuery"/>,
/// refusing a bad value with a one-line reason rather than searching for something else.
/// </summary>
public static class AdminQueryParser
{
    public const int DefaultLimit = 100;

    public static Result<CertificateQuery> Parse(
        string? device, string? subject, string? profile, string? status, string? expiringWithin, string? limit, DateTimeOffset now)
    {
        string? identity = null;
        if (!string.IsNullOrWhiteSpace(device) && !DeviceIdentityText.TryNormalize(device, out identity!))
        {
            return EstError.BadRequest($"'{device}' is not a device identity");
        }

        CertificateStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            wanted = status.Trim().ToLowerInvariant() switch
            {
                "good" => CertificateStatus.Good,
                "revoked" => CertificateStatus.Revoked,
                _ => null,
            };
            if (wanted is null)
            {
                return EstError.BadRequest($"status must be good or revoked, not '{status}'");
            }
        }

        DateTimeOffset? expiringBefore = null;
        if (!string.IsNullOrWhiteSpace(expiringWithin))
        {
            if (!ExpiryWindowText.TryParse(expiringWithin, out TimeSpan window))
            {
                return EstError.BadRequest($"expiring-within '{expiringWithin}' is not a positive duration; use e.g. {ExpiryWindowText.Examples}");
            }

            expiringBefore = window >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + window;
        }

        if (!TryParseLimit(limit, out int count))
        {
            return EstError.BadRequest($"limit must be a whole number from 1 to {CertificateQuery.MaxLimit}, not '{limit}'");
        }

        return new CertificateQuery
        {
            DeviceIdentity = identity,
            SubjectContains = string.IsNullOrWhiteSpace(subject) ? null : subject.Trim(),
            Profile = string.IsNullOrWhiteSpace(profile) ? null : profile.Trim(),
            Status = wanted,
            ExpiringBefore = expiringBefore,
            Limit = count,
        };
    }

    /// <summary>Unset is <see cref="DefaultLimit"/>; anything else must be 1..<see cref="CertificateQuery.MaxLimit"/>.</summary>
    public static bool TryParseLimit(string? text, out int limit)
    {
        limit = DefaultLimit;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= CertificateQuery.MaxLimit;
    }
}
