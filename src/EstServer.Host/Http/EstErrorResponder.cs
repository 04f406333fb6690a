using System.Globalization;
using System.Text;
using EstServer.Core.Errors;
using Microsoft.Net.Http.Headers;

namespace EstServer.Host.Http;

/// <summary>The one place where an <see cref="EstError"/> becomes an HTTP answer: status, one-line text/plain reason, headers.</summary>
public static class EstErrorResponder
{
    public static int StatusCode(EstErrorKind kind) => kind switch
    {
        EstErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        EstErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        EstErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        EstErrorKind.NotFound => StatusCodes.Status404NotFound,
        EstErrorKind.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        EstErrorKind.RequestTimeout => StatusCodes.Status408RequestTimeout,
        EstErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        EstErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        EstErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        EstErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpContext context, EstError error)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCode(error.Kind);
        response.ContentType = "text/plain; charset=utf-8";
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        }

        if (error.Allow is not null)
        {
            response.Headers.Allow = error.Allow;
        }

        if (error.Kind == EstErrorKind.Unauthorized)
        {
            // RFC 9110 §11.6.1 wants a challenge with 401; EST authenticates with the TLS client
            // certificate (RFC 7030 §3.3.2), which no HTTP scheme names, so a descriptive one is given.
            response.Headers.WWWAuthenticate = "TLS-client-certificate";
        }

        response.Headers[HeaderNames.CacheControl] = "no-store";
        byte[] body = Encoding.UTF8.GetBytes(OneLine(error.Reason) + "\n");
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        ((long)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);

    private static string OneLine(string reason) => reason.ReplaceLineEndings(" ");
}
