using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EstServer.Host.Admin;

/// <summary>A successful admin answer: 200 with a JSON body, serialized when made so writing it cannot fail halfway.</summary>
public sealed record AdminReply(byte[] Json)
{
    public static AdminReply Of<T>(T value, JsonTypeInfo<T> type) => new(JsonSerializer.SerializeToUtf8Bytes(value, type));

    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = Json.Length;
        return context.Response.Body.WriteAsync(Json).AsTask();
    }
}
