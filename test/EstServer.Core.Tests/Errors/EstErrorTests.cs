using EstServer.Core.Errors;

namespace EstServer.Core.Tests.Errors;

public class EstErrorTests
{
    [Test]
    public void Factories_EachKind_SetKindAndReason()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EstError.BadRequest("r"), Is.EqualTo(new EstError(EstErrorKind.BadRequest, "r")));
            Assert.That(EstError.Unauthorized("r"), Is.EqualTo(new EstError(EstErrorKind.Unauthorized, "r")));
            Assert.That(EstError.Forbidden("r"), Is.EqualTo(new EstError(EstErrorKind.Forbidden, "r")));
            Assert.That(EstError.NotFound("r"), Is.EqualTo(new EstError(EstErrorKind.NotFound, "r")));
            Assert.That(EstError.UnsupportedMediaType("r"), Is.EqualTo(new EstError(EstErrorKind.UnsupportedMediaType, "r")));
            Assert.That(EstError.Internal("r"), Is.EqualTo(new EstError(EstErrorKind.Internal, "r")));
        });
    }

    [Test]
    public void Unavailable_RetryAfter_IsCarried()
    {
        EstError error = EstError.Unavailable("busy", TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(EstErrorKind.Unavailable));
            Assert.That(error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void MethodNotAllowed_MethodAndAllow_NamedInReasonAndAllow()
    {
        EstError error = EstError.MethodNotAllowed("GET", "POST");

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(EstErrorKind.MethodNotAllowed));
            Assert.That(error.Allow, Is.EqualTo("POST"));
            Assert.That(error.Reason, Is.EqualTo("method GET is not allowed here; use POST"));
        });
    }

    [Test]
    public void PayloadTooLarge_Limit_NamedInReason()
    {
        EstError error = EstError.PayloadTooLarge(65536);

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(EstErrorKind.PayloadTooLarge));
            Assert.That(error.Reason, Does.Contain("65536 bytes"));
            Assert.That(error.RetryAfter, Is.Null);
        });
    }
}
