using EstServer.Redis;

namespace EstServer.Redis.Tests;

public class RedisQueueOptionsTests
{
    [Test]
    public void ToString_SecretAndRedisPassword_NeitherPrinted()
    {
        var options = new RedisQueueOptions
        {
            Configuration = "redis.internal:6379,password=hunter2-redis,ssl=true",
            Secret = "c2VjcmV0LWpvYi1zaWduaW5nLWtleS0zMi1ieXRlcyE=",
            KeyPrefix = "{est}",
        };

        string printed = options.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(printed, Does.Not.Contain("hunter2-redis"));
            Assert.That(printed, Does.Not.Contain(options.Secret));
            Assert.That(printed, Does.Contain("Secret = (set)"));
            Assert.That(printed, Does.Contain("password=(set)"));
            Assert.That(printed, Does.Contain("redis.internal:6379"));
            Assert.That(printed, Does.Contain("KeyPrefix = {est}"));
        });
    }

    [Test]
    public void ToString_NoSecret_SaysNone()
    {
        Assert.That(new RedisQueueOptions().ToString(), Does.Contain("Secret = (none)"));
    }
}
