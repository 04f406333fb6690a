using System.Security.Cryptography;
using EstServer.Core.Errors;
using EstServer.Core.Queue;

namespace EstServer.Redis.Tests;

[TestFixture]
public sealed class SigningOutcomeCodecTests
{
    [TestCase(1)]
    [TestCase(700)]
    public void Decode_EncodedIssued_SameCertificateBytes(int length)
    {
        byte[] certificate = RandomNumberGenerator.GetBytes(length);

        SigningOutcome? decoded = SigningOutcomeCodec.Decode(SigningOutcomeCodec.Encode(new SigningOutcome.Issued(certificate)));

        Assert.That(decoded, Is.InstanceOf<SigningOutcome.Issued>());
        Assert.That(((SigningOutcome.Issued)decoded!).CertificateDer, Is.EqualTo(certificate));
    }

    [TestCase(EstErrorKind.BadRequest, "subject: CN is required", 0)]
    [TestCase(EstErrorKind.Forbidden, "re-enrollment may not change the subject: CN=a:b", 0)]
    [TestCase(EstErrorKind.NotFound, "profile 'x' no longer exists", 0)]
    [TestCase(EstErrorKind.Unavailable, "try again: later", 5)]
    [TestCase(EstErrorKind.Internal, "signing failed", 0)]
    [TestCase(EstErrorKind.BadRequest, "", 0)]
    public void Decode_EncodedRefused_SameKindReasonAndRetryAfter(EstErrorKind kind, string reason, int retryAfterSeconds)
    {
        TimeSpan? retryAfter = retryAfterSeconds > 0 ? TimeSpan.FromSeconds(retryAfterSeconds) : null;

        SigningOutcome? decoded = SigningOutcomeCodec.Decode(SigningOutcomeCodec.Encode(new SigningOutcome.Refused(new EstError(kind, reason, retryAfter))));

        Assert.That(decoded, Is.InstanceOf<SigningOutcome.Refused>());
        EstError error = ((SigningOutcome.Refused)decoded!).Error;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Kind, Is.EqualTo(kind));
            Assert.That(error.Reason, Is.EqualTo(reason));
            Assert.That(error.RetryAfter, Is.EqualTo(retryAfter));
        }
    }

    [Test]
    public void Encode_Pending_Throws()
    {
        Assert.That(() => SigningOutcomeCodec.Encode(new SigningOutcome.Pending(TimeSpan.FromSeconds(5))), Throws.ArgumentException);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("I")]
    [TestCase("X:whatever")]
    [TestCase("R:NoSuchKind:0:reason")]
    [TestCase("R:BadRequest:soon:reason")]
    [TestCase("R:BadRequest:-5:reason")]
    [TestCase("R:BadRequest")]
    public void Decode_NotAStoredOutcome_ReturnsNull(string? stored)
    {
        Assert.That(SigningOutcomeCodec.Decode(stored), Is.Null);
    }
}
