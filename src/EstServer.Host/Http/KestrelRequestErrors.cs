using EstServer.Core.Errors;

namespace EstServer.Host.Http;

/// <summary>
/// Kestrel's verdict on a request it could not read (too large, too slow, badly framed) as an
/// <see cref="EstError"/>: the client's fault, answered with Kestrel's status and a reason, never a 500.
/// </summary>
public static class KestrelRequestErrors
{
    public const string MalformedBody = "the request body is malformed or ended early";

    /// <param name="bodyLimit">
    /// The EST body limit, when the body reader was reading; the reasons then name the body and its
    /// limit. Null where the last-resort middleware catches it and what was being read is unknown.
    /// </param>
    public static EstError From(BadHttpRequestException exception, long? bodyLimit) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => bodyLimit is { } limit
            ? EstError.PayloadTooLarge(limit)
            : new EstError(EstErrorKind.PayloadTooLarge, "request body too large"),
        StatusCodes.Status408RequestTimeout =>
            new EstError(EstErrorKind.RequestTimeout, bodyLimit is null ? "the request arrived too slowly" : "the request body arrived too slowly"),
        _ => EstError.BadRequest(bodyLimit is null ? "malformed request" : MalformedBody),
    };
}
