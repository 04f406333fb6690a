using EstServer.Core.Queue;
using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;

namespace EstServer.Redis.Tests.Contract;

/// <summary>The contract on the Redis queue (host side) and RedisSigningJobSource (worker side), on a real redis-server.</summary>
[TestFixture]
public sealed class RedisSigningQueueContractTests : SigningQueueContractTests
{
    private RedisServer _server = null!;
    private RedisQueueHarness? _harness;
    private TestWorker? _worker;

    [OneTimeSetUp]
    public void StartRedis() => _server = LocalRedis.StartOrIgnore();

    [OneTimeTearDown]
    public void StopRedis() => _server?.Dispose();

    protected override async Task<ISigningQueue> CreateQueueAsync(int capacity)
    {
        _harness = new RedisQueueHarness(_server, options => options with { MaxBacklog = capacity, RetryAfter = RetryAfter });
        await _harness.ConnectAsync();
        _worker = await _harness.StartWorkerAsync(concurrency: 1);
        return _harness.Queue;
    }

    protected override Task<ISigningJobLease> LeaseAsync() => _worker!.LeaseAsync(Patience);

    // A refusal is kept for RefusalTtl (1 s here) so that a burst of repeats is answered from Redis; then
    // the marker and the result are gone and a resubmission is looked at afresh.
    protected override Task WaitUntilRefusalForgottenAsync(string requestId) =>
        Eventually.UntilAsync(
            async () => !await _harness!.Database.KeyExistsAsync(_harness.Keys.Result(requestId)),
            Patience,
            "the stored refusal expires");

    public override async Task DisposeQueueAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
