namespace EstServer.Core.Errors;

/// <summary>
/// The classes of failure an EST operation can end in. The HTTP layer owns the mapping to status
/// codes so the core stays transport-agnostic.
/// </summary>
public enum EstErrorKind
{
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    RequestTimeout,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    Unavailable,
    Internal,
}
