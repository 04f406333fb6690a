using System.Security.Cryptography;
using EstServer.Redis.Tests.Support;

namespace EstServer.Redis.Tests;

[TestFixture]
public sealed class QueueSecretTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "est-secret-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase("not base64 at all!")]
    [TestCase("c2hvcnQ=")]
    public void FromBase64_NotThirtyTwoBytesOfBase64_Throws(string value)
    {
        Assert.That(() => QueueSecret.FromBase64(value), Throws.ArgumentException);
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void FromFile_CreateWhenMissing_OwnerOnlyAndSharedByLaterReaders()
    {
        string path = Path.Combine(_directory, "queue-secret");

        QueueSecret created = QueueSecret.FromFile(path, create: true);
        QueueSecret reread = QueueSecret.FromFile(path, create: true);
        QueueSecret readOnly = QueueSecret.FromFile(path, create: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(created.Key, Has.Length.EqualTo(32));
            Assert.That(reread.Key, Is.EqualTo(created.Key), "a second process (host and worker) uses the same secret");
            Assert.That(readOnly.Key, Is.EqualTo(created.Key));
        }
    }

    [Test]
    public void FromFile_MissingWithoutCreate_Throws()
    {
        Assert.That(() => QueueSecret.FromFile(Path.Combine(_directory, "absent"), create: false), Throws.InstanceOf<FileNotFoundException>());
    }

    [Test]
    public void FromBase64_SameKeyMaterial_JobsVerifyAcrossCodecs()
    {
        string shared = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        (byte[] payload, byte[] mac) = new SigningJobCodec(QueueSecret.FromBase64(shared)).Encode(QueueRequests.Create());

        Assert.That(new SigningJobCodec(QueueSecret.FromBase64("  " + shared + "\n")).Decode(payload, mac), Is.Not.Null);
    }
}
