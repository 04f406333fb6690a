using EstServer.Core.Queue;

namespace EstServer.Redis.Tests.Contract;

[TestFixture]
public sealed class InProcessSigningQueueContractTests : SigningQueueContractTests
{
    private InProcessSigningQueue? _queue;

    protected override Task<ISigningQueue> CreateQueueAsync(int capacity)
    {
        _queue = new InProcessSigningQueue(new InProcessSigningQueueOptions { Capacity = capacity, RetryAfter = RetryAfter }, TimeProvider.System);
        return Task.FromResult<ISigningQueue>(_queue);
    }

    protected override async Task<ISigningJobLease> LeaseAsync()
    {
        using var cancellation = new CancellationTokenSource(Patience);
        return await _queue!.LeaseAsync(cancellation.Token);
    }

    // Refusals are dropped from the job table as they are stored.
    protected override Task WaitUntilRefusalForgottenAsync(string requestId) => Task.CompletedTask;

    public override Task DisposeQueueAsync() => Task.CompletedTask;
}
