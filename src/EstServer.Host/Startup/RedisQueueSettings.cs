using EstServer.Host.Configuration;
using EstServer.Host.Pki;
using EstServer.Redis;

namespace EstServer.Host.Startup;

/// <summary>Turns the Est:Redis / Est:Queue settings into the queue's options and secret.</summary>
public static class RedisQueueSettings
{
    /// <summary>The Est:Queue section completed with the connection string (Est:Redis) and the shared Retry-After.</summary>
    public static RedisQueueOptions From(EstOptions options) =>
        options.Queue with { Configuration = options.Redis, RetryAfter = options.RetryAfter };

    /// <summary>
    /// The job-authentication secret: configured, or with the development PKI a file in the data
    /// directory that a host and its local workers share.
    /// </summary>
    public static QueueSecret Secret(EstOptions options, PkiMaterial pki)
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(options.Queue.Secret))
            {
                return QueueSecret.FromBase64(options.Queue.Secret);
            }

            if (!string.IsNullOrWhiteSpace(options.Queue.SecretFile))
            {
                return QueueSecret.FromFile(options.Queue.SecretFile, create: false);
            }

            if (pki.DevPki is not null)
            {
                return QueueSecret.FromFile(Path.Combine(options.DataDir, "queue-secret"), create: true);
            }
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new EstConfigurationException($"cannot load the queue secret: {exception.Message}", exception);
        }

        throw new EstConfigurationException("Est:Queue:Secret or Est:Queue:SecretFile is required with Redis and a configured CA");
    }
}
