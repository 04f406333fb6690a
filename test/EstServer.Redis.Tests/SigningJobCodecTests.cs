using System.Security.Cryptography;
using System.Text;
using EstServer.Core.Pipeline;
using EstServer.Redis.Tests.Support;

namespace EstServer.Redis.Tests;

[TestFixture]
public sealed class SigningJobCodecTests
{
    private readonly QueueSecret _secret = RedisQueueHarness.NewSecret();

    [TestCase(EnrollmentKind.Enroll)]
    [TestCase(EnrollmentKind.Reenroll)]
    public void Decode_EncodedRequest_RoundTrips(EnrollmentKind kind)
    {
        var codec = new SigningJobCodec(_secret);
        SigningRequest request = QueueRequests.Create(kind: kind);

        (byte[] payload, byte[] mac) = codec.Encode(request);
        SigningRequest? decoded = codec.Decode(payload, mac);

        Assert.That(decoded, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decoded!.Id, Is.EqualTo(request.Id));
            Assert.That(decoded.ProfileName, Is.EqualTo(request.ProfileName));
            Assert.That(decoded.ProfileVersion, Is.EqualTo(request.ProfileVersion));
            Assert.That(decoded.Kind, Is.EqualTo(kind));
            Assert.That(decoded.CsrDer, Is.EqualTo(request.CsrDer));
            Assert.That(decoded.ClientCertificateDer, Is.EqualTo(request.ClientCertificateDer));
            Assert.That(decoded.SubmittedAt, Is.EqualTo(request.SubmittedAt));
        }
    }

    [Test]
    public void Decode_AnyPayloadByteChanged_ReturnsNull()
    {
        var codec = new SigningJobCodec(_secret);
        (byte[] payload, byte[] mac) = codec.Encode(QueueRequests.Create());

        for (int i = 0; i < payload.Length; i++)
        {
            byte[] tampered = (byte[])payload.Clone();
            tampered[i] ^= 0x01;
            Assert.That(codec.Decode(tampered, mac), Is.Null, $"payload byte {i} changed");
        }
    }

    [Test]
    public void Decode_ProfileSwappedInJson_ReturnsNull()
    {
        var codec = new SigningJobCodec(_secret);
        (byte[] payload, byte[] mac) = codec.Encode(QueueRequests.Create());
        byte[] swapped = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload).Replace("\"queue-test\"", "\"ca-profile\"", StringComparison.Ordinal));

        Assert.That(swapped, Is.Not.EqualTo(payload));
        Assert.That(codec.Decode(swapped, mac), Is.Null);
    }

    [Test]
    public void Decode_AnyMacByteChanged_ReturnsNull()
    {
        var codec = new SigningJobCodec(_secret);
        (byte[] payload, byte[] mac) = codec.Encode(QueueRequests.Create());

        for (int i = 0; i < mac.Length; i++)
        {
            byte[] tampered = (byte[])mac.Clone();
            tampered[i] ^= 0x80;
            Assert.That(codec.Decode(payload, tampered), Is.Null, $"MAC byte {i} changed");
        }
    }

    [TestCase(0)]
    [TestCase(16)]
    [TestCase(31)]
    public void Decode_TruncatedMac_ReturnsNull(int length)
    {
        var codec = new SigningJobCodec(_secret);
        (byte[] payload, byte[] mac) = codec.Encode(QueueRequests.Create());

        Assert.That(codec.Decode(payload, mac.AsSpan(0, length)), Is.Null);
    }

    [Test]
    public void Decode_MacUnderAnotherSecret_ReturnsNull()
    {
        SigningRequest request = QueueRequests.Create();
        (byte[] payload, byte[] mac) = new SigningJobCodec(RedisQueueHarness.NewSecret()).Encode(request);

        Assert.That(new SigningJobCodec(_secret).Decode(payload, mac), Is.Null);
    }

    [TestCase("not json")]
    [TestCase("{}")]
    [TestCase("[1,2,3]")]
    [TestCase("{\"v\":2,\"id\":\"a\",\"profile\":\"p\",\"profileVersion\":\"1\",\"kind\":\"enroll\",\"csr\":\"AA==\",\"client\":\"AA==\",\"submittedAt\":0}")]
    [TestCase("{\"v\":1,\"id\":\"a\",\"profile\":\"p\",\"profileVersion\":\"1\",\"kind\":\"enroll\",\"csr\":\"%%%\",\"client\":\"AA==\",\"submittedAt\":0}")]
    [TestCase("{\"v\":1,\"id\":7,\"profile\":\"p\",\"profileVersion\":\"1\",\"kind\":\"enroll\",\"csr\":\"AA==\",\"client\":\"AA==\",\"submittedAt\":0}")]
    public void Decode_AuthenticatedButNotAJob_ReturnsNull(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        byte[] mac = HMACSHA256.HashData(_secret.Key, payload);

        Assert.That(new SigningJobCodec(_secret).Decode(payload, mac), Is.Null);
    }
}
