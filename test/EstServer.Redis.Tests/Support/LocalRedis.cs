using EstServer.TestSupport;

namespace EstServer.Redis.Tests.Support;

/// <summary>
/// Starts the fixture's real redis-server. Locally a machine without redis-server skips the fixture;
/// in CI (CI=true) it fails it, so the Redis tests can never silently not run.
/// </summary>
public static class LocalRedis
{
    public static RedisServer StartOrIgnore()
    {
        if (RedisServer.FindExecutable() is null)
        {
            if (RedisServer.Required)
            {
                Assert.Fail("redis-server is not installed, and CI=true requires the Redis tests to run (apt-get install redis-server)");
            }

            Assert.Ignore("redis-server is not installed; the Redis tests need it (they fail instead of skipping when CI=true)");
        }

        return RedisServer.Start();
    }
}
