using System.Threading.RateLimiting;
using EstServer.Core.Errors;
using EstServer.Host.Configuration;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EstServer.Host.Http;

/// <summary>
/// ASP.NET Core's rate limiter on the EST routes: per source address, per client certificate, and
/// re-enrollment attempts per certificate; a refusal is 429 with Retry-After and a reason.
/// </summary>
public static class EstRateLimiting
{
    public static IServiceCollection AddEstRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<EstOptions>, ILoggerFactory>((options, est, loggers) =>
        {
            RateLimitOptions limits = est.Value.RateLimits;
            ILogger logger = loggers.CreateLogger(typeof(EstRateLimiting));
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Limiter(limits.PerAddressPerMinute, TimeSpan.FromMinutes(1), context => context.Connection.RemoteIpAddress?.ToString()),
                Limiter(limits.PerClientCertificatePerMinute, TimeSpan.FromMinutes(1), context => context.Connection.ClientCertificate?.Thumbprint),
                Limiter(limits.ReenrollPerCertificatePerHour, TimeSpan.FromHours(1), context =>
                    EstOperationMetadata.Of(context) == "simplereenroll" ? context.Connection.ClientCertificate?.Thumbprint : null));
            options.OnRejected = (rejected, _) =>
            {
                TimeSpan retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : TimeSpan.FromSeconds(1);
                EstError error = EstError.TooManyRequests("too many requests; slow down and retry after the indicated time", retryAfter);
                return new ValueTask(EstRefusalWriter.WriteAsync(rejected.HttpContext, "rate_limit", error, logger));
            };
        });
        return services;
    }

    /// <summary>A token bucket per key (refilled evenly), only on EST routes, and only when the limit is on and the key exists.</summary>
    private static PartitionedRateLimiter<HttpContext> Limiter(int permits, TimeSpan window, Func<HttpContext, string?> key) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            string? partition = permits > 0 && EstOperationMetadata.Of(context) is not null ? key(context) : null;
            if (partition is null)
            {
                return RateLimitPartition.GetNoLimiter("");
            }

            int perSecondish = Math.Max(1, (int)Math.Ceiling(permits / window.TotalSeconds));
            TimeSpan period = TimeSpan.FromSeconds(Math.Max(1, window.TotalSeconds * perSecondish / permits));
            return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = perSecondish,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
}
