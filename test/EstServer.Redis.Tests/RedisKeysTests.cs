using EstServer.Core.Pipeline;
using EstServer.Core.Queue;
using EstServer.Redis.Tests.Support;
using EstServer.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace EstServer.Redis.Tests;

/// <summary>
/// Every key and channel is "{prefix}:…", so on Redis Cluster all of them hash to the one slot of the
/// tag and the multi-key scripts are allowed.
/// </summary>
[TestFixture]
public sealed class RedisKeysTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public void Names_EveryKeyAndChannel_StartWithPrefixHashTag()
    {
        var keys = new RedisKeys("est-prod");

        string[] names =
        [
            keys.Stream!, keys.Accepted("abc")!, keys.Result("abc")!, keys.Lock("abc")!, keys.Workers!,
            keys.Done.ToString(), keys.NewJob.ToString(),
        ];

        Assert.That(names, Is.All.StartsWith("{est-prod}:"));
        Assert.That(names, Is.Unique);
    }

    [Test]
    public async Task Names_KeysWrittenByHostAndWorkers_AllCarryPrefixHashTag()
    {
        using RedisServer server = LocalRedis.StartOrIgnore();
        await using var harness = new RedisQueueHarness(server);
        string tag = "{" + harness.Options.KeyPrefix + "}:";
        TestWorker worker = await harness.StartWorkerAsync();
        using var heartbeat = new WorkerHeartbeat(worker.Connection, harness.Options, new WorkerIdentity(), TimeProvider.System, NullLogger<WorkerHeartbeat>.Instance);
        await heartbeat.StartAsync(CancellationToken.None);
        IServer redis = harness.Connection.Database.Multiplexer.GetServer(server.Configuration);

        // While a job is held: stream, accepted marker, lock, heartbeat set.
        SigningRequest request = QueueRequests.Create();
        Task<SigningOutcome> submitted = harness.Queue.SubmitAsync(request, Patience, CancellationToken.None).AsTask();
        ISigningJobLease lease = await worker.LeaseAsync(Patience);
        await Eventually.UntilAsync(async () => await harness.Database.KeyExistsAsync(harness.Keys.Workers), Patience, "the first heartbeat");
        RedisKey[] whileHeld = await redis.KeysAsync(pattern: "*").ToArrayAsync();
        await lease.CompleteAsync(QueueRequests.Certificate(), CancellationToken.None);
        await submitted.WaitAsync(Patience);
        // After completion: the result too.
        RedisKey[] afterwards = await redis.KeysAsync(pattern: "*").ToArrayAsync();
        await heartbeat.StopAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileHeld.Select(k => (string)k!), Is.SupersetOf(new[]
            {
                (string)harness.Keys.Stream!, (string)harness.Keys.Accepted(request.Id)!, (string)harness.Keys.Lock(request.Id)!, (string)harness.Keys.Workers!,
            }));
            Assert.That(afterwards.Select(k => (string)k!), Does.Contain((string)harness.Keys.Result(request.Id)!));
            Assert.That(whileHeld.Concat(afterwards).Select(k => (string)k!), Is.All.StartsWith(tag), "no key outside the hash tag");
        }
    }
}
