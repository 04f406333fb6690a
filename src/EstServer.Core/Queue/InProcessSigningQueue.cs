using System.Collections.Concurrent;
using System.Threading.Channels;
using EstServer.Core.Errors;
using EstServer.Core.Pipeline;

namespace EstServer.Core.Queue;

/// <summary>
/// The embedded queue: a bounded channel between request handlers and the in-process signer, plus a
/// table of jobs by request id so that concurrent or repeated submissions of one request share a
/// single job and a single certificate.
/// </summary>
public sealed class InProcessSigningQueue : ISigningQueue, ISigningJobSource, IQueueStatistics
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(15);

    private readonly Channel<Job> _channel;
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly InProcessSigningQueueOptions _options;
    private readonly TimeProvider _time;
    private long _nextSweepTimestamp;

    public InProcessSigningQueue(InProcessSigningQueueOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _channel = Channel.CreateBounded<Job>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _nextSweepTimestamp = time.GetTimestamp();
    }

    /// <summary>Queued jobs live in this process: they end with it, so a client that was waiting goes elsewhere or tries again.</summary>
    public SigningOutcome OutcomeWhenStopping =>
        new SigningOutcome.Refused(EstError.Unavailable("the server is shutting down; repeat the request", _options.RetryAfter));

    /// <summary>Jobs accepted and not yet signed.</summary>
    public int Backlog => _channel.Reader.Count;

    public ValueTask<(long Depth, TimeSpan? OldestAge)> SampleAsync(CancellationToken cancellationToken)
    {
        TimeSpan? oldest = _channel.Reader.TryPeek(out Job? job) ? _time.GetUtcNow() - job.Request.SubmittedAt : null;
        return ValueTask.FromResult(((long)_channel.Reader.Count, oldest));
    }

    /// <summary>
    /// The process is stopping and its signer has finished the jobs in hand: everything still queued is
    /// answered 503 + Retry-After (the client repeats it elsewhere or later), never left hanging.
    /// </summary>
    public void Shutdown()
    {
        _channel.Writer.TryComplete();
        var unavailable = new SigningOutcome.Refused(EstError.Unavailable("the server is shutting down; try again", _options.RetryAfter));
        while (_channel.Reader.TryRead(out Job? job))
        {
            Completed(job, unavailable);
        }
    }

    public async ValueTask<SigningOutcome> SubmitAsync(SigningRequest request, TimeSpan waitBudget, CancellationToken cancellationToken)
    {
        SweepIfDue();
        var candidate = new Job(request);
        Job job = _jobs.GetOrAdd(request.Id, candidate);
        if (ReferenceEquals(job, candidate) && !_channel.Writer.TryWrite(job))
        {
            _jobs.TryRemove(new KeyValuePair<string, Job>(request.Id, job));
            var refused = new SigningOutcome.Refused(EstError.Unavailable("the signing queue is full; try again later", _options.RetryAfter));
            job.Complete(refused, _time.GetUtcNow());
            return refused;
        }

        try
        {
            return await job.Outcome.WaitAsync(waitBudget, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            job.AnsweredPending = true;
            return new SigningOutcome.Pending(_options.RetryAfter);
        }
    }

    public async ValueTask<ISigningJobLease> LeaseAsync(CancellationToken cancellationToken)
    {
        Job job = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(this, job);
    }

    private void Completed(Job job, SigningOutcome outcome)
    {
        DateTimeOffset now = _time.GetUtcNow();
        job.Complete(outcome, now);
        if (outcome is not SigningOutcome.Issued)
        {
            // Refusals are not remembered: a corrected or retried request must be looked at afresh.
            _jobs.TryRemove(new KeyValuePair<string, Job>(job.Request.Id, job));
        }
    }

    private void SweepIfDue()
    {
        long now = _time.GetTimestamp();
        long due = Interlocked.Read(ref _nextSweepTimestamp);
        if (now < due || Interlocked.CompareExchange(ref _nextSweepTimestamp, now + (long)(SweepInterval.TotalSeconds * _time.TimestampFrequency), due) != due)
        {
            return;
        }

        DateTimeOffset utcNow = _time.GetUtcNow();
        foreach (KeyValuePair<string, Job> entry in _jobs)
        {
            if (entry.Value.CompletedAt is { } completedAt)
            {
                TimeSpan retention = entry.Value.AnsweredPending ? _options.PendingResultRetention : _options.ResultRetention;
                if (completedAt + retention <= utcNow)
                {
                    _jobs.TryRemove(entry);
                }
            }
        }
    }

    private sealed class Job(SigningRequest request)
    {
        private readonly TaskCompletionSource<SigningOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SigningRequest Request { get; } = request;

        public Task<SigningOutcome> Outcome => _outcome.Task;

        private long _completedAtUtcTicks;

        public volatile bool AnsweredPending;

        /// <summary>Read by the sweeper on another thread, hence stored as one atomically written word.</summary>
        public DateTimeOffset? CompletedAt =>
            Volatile.Read(ref _completedAtUtcTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

        public void Complete(SigningOutcome outcome, DateTimeOffset now)
        {
            Volatile.Write(ref _completedAtUtcTicks, now.UtcTicks);
            _outcome.TrySetResult(outcome);
        }
    }

    private sealed class Lease(InProcessSigningQueue queue, Job job) : ISigningJobLease
    {
        public SigningRequest Request => job.Request;

        public ValueTask CompleteAsync(SigningOutcome outcome, CancellationToken cancellationToken)
        {
            queue.Completed(job, outcome);
            return ValueTask.CompletedTask;
        }

        public ValueTask AbandonAsync()
        {
            // Only the process's own signer reads this channel, and it hands jobs back only when it
            // cannot decide them now (stopping, or shared state unreachable), so no one would pick the
            // job up again: tell the waiter to retry.
            queue.Completed(job, new SigningOutcome.Refused(
                EstError.Unavailable("the signer could not take the request now; try again", queue._options.RetryAfter)));
            return ValueTask.CompletedTask;
        }
    }
}
