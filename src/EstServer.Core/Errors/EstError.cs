namespace EstServer.Core.Errors;

/// <summary>
/// A failed EST operation as a value: what went wrong, a one-line reason safe to show the client,
/// and, for transient conditions, when to try again.
/// </summary>
public sealed record EstError(EstErrorKind Kind, string Reason, TimeSpan? RetryAfter = null)
{
    /// <summary>For <see cref="EstErrorKind.MethodNotAllowed"/>: the methods the resource does accept.</summary>
    public string? Allow { get; init; }

    public static EstError BadRequest(string reason) => new(EstErrorKind.BadRequest, reason);

    public static EstError Unauthorized(string reason) => new(EstErrorKind.Unauthorized, reason);

    public static EstError Forbidden(string reason) => new(EstErrorKind.Forbidden, reason);

    public static EstError NotFound(string reason) => new(EstErrorKind.NotFound, reason);

    public static EstError MethodNotAllowed(string method, string allow) =>
        new(EstErrorKind.MethodNotAllowed, $"method {method} is not allowed here; use {allow}") { Allow = allow };

    public static EstError PayloadTooLarge(long limitBytes) =>
        new(EstErrorKind.PayloadTooLarge, $"request body exceeds the limit of {limitBytes} bytes");

    public static EstError UnsupportedMediaType(string reason) => new(EstErrorKind.UnsupportedMediaType, reason);

    public static EstError TooManyRequests(string reason, TimeSpan retryAfter) =>
        new(EstErrorKind.TooManyRequests, reason, retryAfter);

    public static EstError Unavailable(string reason, TimeSpan retryAfter) =>
        new(EstErrorKind.Unavailable, reason, retryAfter);

    public static EstError Internal(string reason) => new(EstErrorKind.Internal, reason);
}
