using System.Collections.Concurrent;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using Microsoft.Extensions.Logging;
using Polly;
using StackExchange.Redis;

namespace EstServer.Redis;

/// <summary>
/// The host's side of the Redis queue. A request is queued once per request id, however many hosts it
/// reaches (a Lua script checks, queues and marks atomically), and its handler waits for the result:
/// woken by the workers' pub/sub notification, with a slow poll as the fallback for a missed message,
/// so an idle wait costs nothing. When the budget runs out the answer is 202; any host answers the
/// repeat from the stored result.
/// </summary>
public sealed partial class RedisSigningQueue(
    RedisConnection redis,
    RedisQueueOptions options,
    SigningJobCodec codec,
    ResiliencePipeline pipeline,
    TimeProvider time,
    ILogger<RedisSigningQueue> logger) : ISigningQueue
{
    private readonly RedisConnection _redis = redis;
    private readonly RedisQueueOptions _options = options;
    private readonly ConcurrentDictionary<string, Waiters> _waiters = new(StringComparer.Ordinal);
    private int _subscribed;

    /// <summary>A job in Redis outlives this host: a worker will sign it, and any host answers the repeat from the stored result.</summary>
    public SigningOutcome OutcomeWhenStopping => new SigningOutcome.Pending(_options.RetryAfter);

    public async ValueTask<SigningOutcome> SubmitAsync(SigningRequest request, TimeSpan waitBudget, CancellationToken cancellationToken)
    {
        long deadline = time.GetTimestamp() + (long)(waitBudget.TotalSeconds * time.TimestampFrequency);
        using Registration registration = Register(request.Id);
        long state;
        await EnsureSubscribedAsync().ConfigureAwait(false);
        try
        {
            (byte[] payload, byte[] mac) = codec.Encode(request);
            RedisKeys keys = _redis.Keys;
            RedisResult result = await pipeline.ExecuteAsync(
                async _ => await _redis.Database.ScriptEvaluateAsync(
                    RedisScripts.Enqueue,
                    [keys.Stream, keys.Accepted(request.Id), keys.Result(request.Id)],
                    [request.Id, payload, mac, (long)_options.ResultTtl.TotalSeconds, _options.MaxBacklog, keys.NewJob.ToString()]).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            state = (long)result;
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
        {
            LogUnavailable(logger, request.Id, exception.GetType().Name, exception.Message);
            return new SigningOutcome.Refused(EstError.Unavailable("the signing queue is unavailable; try again later", _options.RetryAfter));
        }

        if (state == -1)
        {
            return new SigningOutcome.Refused(EstError.Unavailable("the signing backlog is full; try again later", _options.RetryAfter));
        }

        // From here the job is accepted (or was already): whatever happens to Redis now, the client is
        // told to come back (202), never that the request failed.
        bool checkNow = state == 2;
        while (true)
        {
            if (checkNow && await TryGetResultAsync(request.Id, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }

            TimeSpan remaining = TimeSpan.FromSeconds((deadline - time.GetTimestamp()) / (double)time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
            {
                return new SigningOutcome.Pending(_options.RetryAfter);
            }

            TimeSpan wait = remaining < _options.ResultPollInterval ? remaining : _options.ResultPollInterval;
            await registration.Signal.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            checkNow = true;
        }
    }

    private async Task<SigningOutcome?> TryGetResultAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            RedisValue stored = await pipeline.ExecuteAsync(
                async _ => await _redis.Database.StringGetAsync(_redis.Keys.Result(id)).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return SigningOutcomeCodec.Decode(stored);
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception))
        {
            return null;
        }
    }

    /// <summary>
    /// Subscribes to the workers' notifications once per process (StackExchange.Redis re-subscribes after
    /// a reconnect by itself). Called at start-up and, until it succeeds, by requests; a failure never
    /// refuses a request: the result poll covers for a missing notification.
    /// </summary>
    public async ValueTask EnsureSubscribedAsync()
    {
        if (Volatile.Read(ref _subscribed) == 1)
        {
            return;
        }

        try
        {
            await _redis.Subscriber.SubscribeAsync(_redis.Keys.Done, (_, message) => Notify(message)).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception exception) when (RedisResilience.IsUnavailable(exception) || exception is RedisException)
        {
            LogSubscribeFailed(logger, exception.Message);
        }
    }

    private void Notify(RedisValue message)
    {
        if (message.HasValue && _waiters.TryGetValue(message.ToString(), out Waiters? waiters))
        {
            waiters.SignalAll();
        }
    }

    private Registration Register(string id)
    {
        while (true)
        {
            Waiters waiters = _waiters.GetOrAdd(id, static _ => new Waiters());
            var registration = new Registration(this, id, waiters);
            if (waiters.TryAdd(registration.Signal))
            {
                return registration;
            }

            // The set was emptied and removed while we got it; take a fresh one.
        }
    }

    private void Unregister(string id, Waiters waiters, SemaphoreSlim signal)
    {
        if (waiters.Remove(signal))
        {
            _waiters.TryRemove(new KeyValuePair<string, Waiters>(id, waiters));
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Not subscribed to signer notifications yet ({Message}); results are polled meanwhile")]
    private static partial void LogSubscribeFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Could not queue request {RequestId}: Redis unavailable ({Error}: {Message}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string requestId, string error, string message);

    /// <summary>The handlers in this process waiting for one request id.</summary>
    private sealed class Waiters
    {
        private readonly List<SemaphoreSlim> _signals = [];
        private bool _closed;

        public bool TryAdd(SemaphoreSlim signal)
        {
            lock (_signals)
            {
                if (_closed)
                {
                    return false;
                }

                _signals.Add(signal);
                return true;
            }
        }

        /// <returns>true when the set became empty and is closed for good.</returns>
        public bool Remove(SemaphoreSlim signal)
        {
            lock (_signals)
            {
                _signals.Remove(signal);
                _closed = _signals.Count == 0;
                return _closed;
            }
        }

        public void SignalAll()
        {
            lock (_signals)
            {
                foreach (SemaphoreSlim signal in _signals)
                {
                    if (signal.CurrentCount == 0)
                    {
                        signal.Release();
                    }
                }
            }
        }
    }

    private sealed class Registration(RedisSigningQueue queue, string id, Waiters waiters) : IDisposable
    {
        public SemaphoreSlim Signal { get; } = new(0, 1);

        public void Dispose()
        {
            queue.Unregister(id, waiters, Signal);
            Signal.Dispose();
        }
    }

}
