using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace EstServer.Redis.Tests;

[TestFixture]
public sealed class RedisResilienceTests
{
    [Test]
    public void IsUnavailable_RedisDownOrSlowOrLoading_True()
    {
        Exception[] unavailable =
        [
            new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, "socket closed", null, CommandStatus.Sent),
            new RedisTimeoutException(CommandFlags.None, "timed out", CommandStatus.Sent),
            new TimeoutRejectedException(),
            new BrokenCircuitException(),
            new RedisServerException(RedisErrorKind.Loading, CommandFlags.None, "LOADING Redis is loading the dataset in memory"),
        ];

        Assert.That(unavailable.Select(RedisResilience.IsUnavailable), Is.All.True);
    }

    [Test]
    public void IsUnavailable_BugsAndServerErrors_False()
    {
        Exception[] bugs =
        [
            new RedisServerException(RedisErrorKind.UnknownError, CommandFlags.None, "ERR Error running script"),
            new InvalidOperationException(),
            new FormatException(),
        ];

        Assert.That(bugs.Select(RedisResilience.IsUnavailable), Is.All.False);
    }
}
