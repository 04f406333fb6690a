using EstServer.Core.Errors;

namespace EstServer.Core.Tests.Errors;

public class ResultTests
{
    [Test]
    public void Success_Value_IsReturnedAndNoError()
    {
        Result<string> result = "value";

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.Error, Is.Null);
            Assert.That(result.Value, Is.EqualTo("value"));
            Assert.That(result.TryGetValue(out string? value, out EstError? error), Is.True);
            Assert.That(value, Is.EqualTo("value"));
            Assert.That(error, Is.Null);
        });
    }

    [Test]
    public void Failure_Value_ThrowsNamingReason()
    {
        Result<string> result = EstError.BadRequest("the body is odd");

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error!.Reason, Is.EqualTo("the body is odd"));
            Assert.That(() => result.Value, Throws.InvalidOperationException.With.Message.Contains("the body is odd"));
            Assert.That(result.TryGetValue(out _, out EstError? error), Is.False);
            Assert.That(error, Is.SameAs(result.Error));
        });
    }

    [Test]
    public void Success_NullValueOfNullableType_IsStillSuccess()
    {
        Result<string?> result = Result<string?>.Success(null);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.Value, Is.Null);
        });
    }
}
