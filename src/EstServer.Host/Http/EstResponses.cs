using EstServer.Core.Wire;
using Microsoft.Net.Http.Headers;

namespace EstServer.Host.Http;

/// <summary>Successful EST answers: base64 bodies with an explicit Content-Length (RFC 7030 §4, RFC 8951).</summary>
public static class EstResponses
{
    public static Task WriteCertsOnlyAsync(HttpContext context, byte[] der) =>
        WriteEncodedAsync(context, EstBase64.Encode(der), EstMediaTypes.CertsOnly);

    /// <summary>Writes a body already base64-encoded (e.g. a cached cacerts answer).</summary>
    public static Task WriteEncodedAsync(HttpContext context, byte[] base64Body, string contentType)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        // RFC 8951 §3 makes this header meaningless, but RFC 7030 clients may still look for it.
        response.Headers["Content-Transfer-Encoding"] = "base64";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        // Kestrel would otherwise answer chunked; EST clients expect a length.
        response.ContentLength = base64Body.Length;
        return response.Body.WriteAsync(base64Body).AsTask();
    }

    public static Task WriteAcceptedAsync(HttpContext context, TimeSpan retryAfter)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.RetryAfter = EstErrorResponder.RetryAfterSeconds(retryAfter);
        response.ContentType = "text/plain; charset=utf-8";
        byte[] body = "request accepted; repeat the same request after Retry-After to collect the certificate\n"u8.ToArray();
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
