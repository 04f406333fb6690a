using EstServer.Core.Errors;
using EstServer.Host.Http;
using Microsoft.AspNetCore.Http;

namespace EstServer.Host.Tests.Http;

/// <summary>Kestrel's BadHttpRequestException becomes the client's error with Kestrel's status, in one mapping.</summary>
[TestFixture]
public sealed class KestrelRequestErrorsTests
{
    [TestCase(StatusCodes.Status413PayloadTooLarge, EstErrorKind.PayloadTooLarge, "request body exceeds the limit of 2048 bytes")]
    [TestCase(StatusCodes.Status408RequestTimeout, EstErrorKind.RequestTimeout, "the request body arrived too slowly")]
    [TestCase(StatusCodes.Status400BadRequest, EstErrorKind.BadRequest, "the request body is malformed or ended early")]
    [TestCase(StatusCodes.Status431RequestHeaderFieldsTooLarge, EstErrorKind.BadRequest, "the request body is malformed or ended early")]
    public void From_WhileReadingTheBody_NamesTheBodyAndItsLimit(int status, EstErrorKind kind, string reason)
    {
        EstError error = KestrelRequestErrors.From(new BadHttpRequestException("kestrel's words", status), bodyLimit: 2048);

        Assert.That(error, Is.EqualTo(new EstError(kind, reason)));
    }

    [TestCase(StatusCodes.Status413PayloadTooLarge, EstErrorKind.PayloadTooLarge, "request body too large")]
    [TestCase(StatusCodes.Status408RequestTimeout, EstErrorKind.RequestTimeout, "the request arrived too slowly")]
    [TestCase(StatusCodes.Status400BadRequest, EstErrorKind.BadRequest, "malformed request")]
    public void From_ReadUnknown_GivesGeneralReasons(int status, EstErrorKind kind, string reason)
    {
        EstError error = KestrelRequestErrors.From(new BadHttpRequestException("kestrel's words", status), bodyLimit: null);

        Assert.That(error, Is.EqualTo(new EstError(kind, reason)));
    }
}
