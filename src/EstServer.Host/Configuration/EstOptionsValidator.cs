using EstServer.Core.Queue;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Configuration;

/// <summary>Collects every problem with the settings so start-up stops with all of them at once.</summary>
public sealed class EstOptionsValidator : IValidateOptions<EstOptions>
{
    public ValidateOptionsResult Validate(string? name, EstOptions options)
    {
        var problems = new List<string>();
        if (options.MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            problems.Add("Est:MaxRequestBodyBytes must be between 1024 and 16777216");
        }

        if (options.EnrollmentWaitBudget <= TimeSpan.Zero || options.EnrollmentWaitBudget > TimeSpan.FromMinutes(5))
        {
            problems.Add("Est:EnrollmentWaitBudget must be positive and at most 00:05:00");
        }

        if (options.RetryAfter < TimeSpan.FromSeconds(1) || options.RetryAfter > TimeSpan.FromHours(1))
        {
            problems.Add("Est:RetryAfter must be between 00:00:01 and 01:00:00");
        }

        if (options.ProfilesReloadInterval < TimeSpan.FromMilliseconds(100) || options.ProfilesReloadInterval > TimeSpan.FromHours(1))
        {
            problems.Add("Est:ProfilesReloadInterval must be between 00:00:00.1 and 01:00:00");
        }

        if (options.Signing.Concurrency is < 0 or > SigningWorkerOptions.MaxConcurrency)
        {
            problems.Add($"Est:Signing:Concurrency must be between 0 (one per processor) and {SigningWorkerOptions.MaxConcurrency}");
        }

        if (options.Signing.QueueCapacity is < 1 or > 1_000_000)
        {
            problems.Add("Est:Signing:QueueCapacity must be between 1 and 1000000");
        }

        if (!SettingChoice.TryParse(options.DuplicateKeys, out DuplicateKeyPolicy _))
        {
            problems.Add(SettingChoice.Problem<DuplicateKeyPolicy>("Est:DuplicateKeys"));
        }

        if (!SettingChoice.TryParse(options.LogFormat, out LogOutputFormat _))
        {
            problems.Add(SettingChoice.Problem<LogOutputFormat>("Est:LogFormat"));
        }

        RateLimitOptions limits = options.RateLimits;
        if (limits.PerClientCertificatePerMinute < 0 || limits.PerAddressPerMinute < 0 || limits.ReenrollPerCertificatePerHour < 0)
        {
            problems.Add("Est:RateLimits values must be 0 (off) or positive");
        }

        KestrelLimitOptions kestrel = options.Limits;
        if (kestrel.MaxConnections < 1 || kestrel.MaxRequestHeadersBytes < 1024 || kestrel.MaxRequestHeaderCount < 8 || kestrel.MaxRequestLineBytes < 256 || kestrel.MaxStreamsPerConnection < 1)
        {
            problems.Add("Est:Limits: MaxConnections >= 1, MaxRequestHeadersBytes >= 1024, MaxRequestHeaderCount >= 8, MaxRequestLineBytes >= 256, MaxStreamsPerConnection >= 1");
        }

        if (kestrel.RequestHeadersTimeout <= TimeSpan.Zero || kestrel.KeepAliveTimeout <= TimeSpan.Zero || kestrel.HandshakeTimeout <= TimeSpan.Zero)
        {
            problems.Add("Est:Limits timeouts must be positive");
        }

        if (options.Metrics.SignerPort is < 0 or > 65535)
        {
            problems.Add("Est:Metrics:SignerPort must be 0 (off) or a port number");
        }

        if (options.Admin.IsEnabled && !File.Exists(options.Admin.CaPath))
        {
            problems.Add($"Est:Admin:CaPath: {options.Admin.CaPath} does not exist (the admin CA certificate PEM)");
        }

        if (options.UsesRedis)
        {
            EstServer.Redis.RedisQueueOptions queue = options.Queue;
            if (options.Ca.IsConfigured && string.IsNullOrWhiteSpace(queue.Secret) && string.IsNullOrWhiteSpace(queue.SecretFile))
            {
                problems.Add("Est:Queue:Secret or Est:Queue:SecretFile is required with Redis and a configured CA (hosts and workers must share it)");
            }

            if (queue.LeaseTimeout < TimeSpan.FromSeconds(1) || queue.LeaseTimeout > TimeSpan.FromHours(1))
            {
                problems.Add("Est:Queue:LeaseTimeout must be between 00:00:01 and 01:00:00");
            }

            if (queue.MaxBacklog is < 1 or > 10_000_000)
            {
                problems.Add("Est:Queue:MaxBacklog must be between 1 and 10000000");
            }

            if (queue.ResultTtl < TimeSpan.FromMinutes(1))
            {
                problems.Add("Est:Queue:ResultTtl must be at least 00:01:00 (clients come back for their certificate after a 202)");
            }

            foreach ((string setting, TimeSpan value) in new[]
            {
                ("HeartbeatInterval", queue.HeartbeatInterval), ("OperationTimeout", queue.OperationTimeout), ("BreakDuration", queue.BreakDuration),
                ("ResultPollInterval", queue.ResultPollInterval), ("IdlePollInterval", queue.IdlePollInterval),
            })
            {
                if (value < TimeSpan.FromMilliseconds(10) || value > TimeSpan.FromMinutes(10))
                {
                    problems.Add($"Est:Queue:{setting} must be between 00:00:00.01 and 00:10:00");
                }
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(queue.KeyPrefix, "^[A-Za-z0-9._-]{1,32}$"))
            {
                problems.Add("Est:Queue:KeyPrefix must be 1-32 letters, digits, '.', '_' or '-'");
            }
        }

        if (options.Ca.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(options.Ca.KeyPath) && !options.UsesRedis)
            {
                problems.Add("Est:Ca:KeyPath is required when Est:Ca:CertificatePath is set and no Redis queue is configured (the host signs)");
            }

            if (!options.Tls.IsConfigured)
            {
                problems.Add("Est:Tls:CertificatePath and Est:Tls:KeyPath are required when a CA is configured");
            }
        }

        if (options.Tls.IsConfigured && string.IsNullOrWhiteSpace(options.Tls.KeyPath))
        {
            problems.Add("Est:Tls:KeyPath is required when Est:Tls:CertificatePath is set");
        }

        ValidateRevocation(options.Revocation, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateRevocation(RevocationOptions revocation, List<string> problems)
    {
        if (revocation.ServesHttp && revocation.HttpListenerUri?.Scheme != Uri.UriSchemeHttp)
        {
            problems.Add("Est:Revocation:HttpUrl must be an http:// address (e.g. http://localhost:8080), or off");
        }
        else if (revocation.HttpListenerUri is { } listener && (listener.AbsolutePath != "/" || listener.Query.Length > 0 || listener.Fragment.Length > 0))
        {
            // Kestrel refuses a path base in a listen address, and only once it starts, naming no setting.
            problems.Add("Est:Revocation:HttpUrl is a listen address: scheme, host and port only, no path (e.g. http://localhost:8080)");
        }

        if (!string.IsNullOrWhiteSpace(revocation.PublicBaseUrl)
            && (!Uri.TryCreate(revocation.PublicBaseUrl.Trim(), UriKind.Absolute, out Uri? publicBase) || publicBase.Scheme is not ("http" or "https")
                || publicBase.Query.Length > 0 || publicBase.Fragment.Length > 0 || publicBase.UserInfo.Length > 0))
        {
            // The same rule RevocationEndpoints applies, so such a URL stops start-up here with its setting named.
            problems.Add("Est:Revocation:PublicBaseUrl must be an absolute http:// or https:// URL without a query, fragment or user info");
        }

        if (revocation.HasOcspFiles != !string.IsNullOrWhiteSpace(revocation.OcspKeyPath))
        {
            problems.Add("Est:Revocation:OcspCertificatePath and Est:Revocation:OcspKeyPath go together");
        }

        if (revocation.CrlValidity < TimeSpan.FromMinutes(10) || revocation.CrlValidity > TimeSpan.FromDays(30))
        {
            problems.Add("Est:Revocation:CrlValidity must be between 00:10:00 and 30.00:00:00");
        }
    }
}
