using System.Security.Cryptography;

namespace EstServer.Redis;

/// <summary>
/// The key that authenticates jobs between hosts and workers (HMAC-SHA256). Anyone who can write to
/// Redis could otherwise queue a job for any identity and have it signed; without this key they cannot.
/// </summary>
public sealed class QueueSecret
{
    private const int MinimumBytes = 32;

    private QueueSecret(byte[] key) => Key = key;

    internal byte[] Key { get; }

    /// <summary>From configuration: base64 of at least 32 random bytes.</summary>
    public static QueueSecret FromBase64(string value)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException("the queue secret must be base64");
        }

        return key.Length >= MinimumBytes ? new QueueSecret(key) : throw new ArgumentException($"the queue secret must be at least {MinimumBytes} bytes");
    }

    /// <summary>
    /// From a file holding base64 key material; created owner-only with fresh random bytes when
    /// <paramref name="create"/> and it does not exist (development: host and workers on one machine
    /// share the data directory).
    /// </summary>
    public static QueueSecret FromFile(string path, bool create)
    {
        if (create && !File.Exists(path))
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }

        return FromBase64(File.ReadAllText(path));
    }
}
