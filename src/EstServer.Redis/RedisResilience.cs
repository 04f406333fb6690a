using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>
/// The policy around every Redis call: a per-attempt timeout, two quick retries for connection blips,
/// and a circuit breaker so that while Redis is down requests fail fast (503 + Retry-After) instead of
/// each waiting out its own timeouts. StackExchange.Redis reconnects by itself; the breaker's half-open
/// probe notices when it is back.
/// </summary>
public static class RedisResilience
{
    public static ResiliencePipeline Create(RedisQueueOptions options, TimeProvider time)
    {
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
                FailureRatio = 0.5,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.OperationTimeout)
            .Build();
    }

    /// <summary>Whether an exception means "Redis is unavailable right now" rather than a bug.</summary>
    public static bool IsUnavailable(Exception exception) => exception is BrokenCircuitException || IsTransient(exception);

    /// <summary>A failure worth retrying: no connection, a timeout, or a Redis still loading its data after a restart.</summary>
    private static bool IsTransient(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or TimeoutRejectedException
        || (exception is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal));
}
