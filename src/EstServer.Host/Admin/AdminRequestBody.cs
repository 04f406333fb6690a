using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EstServer.Core.Errors;

namespace EstServer.Host.Admin;

/// <summary>
/// Reads the optional JSON body of an admin POST. An empty body means "all defaults" (curl -X POST);
/// anything else must be one JSON object of the expected shape, at most <see cref="MaxBytes"/>.
/// </summary>
public static class AdminRequestBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<Result<T>> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, T empty)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            return EstError.PayloadTooLarge(MaxBytes);
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return EstError.PayloadTooLarge(MaxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return empty;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.ToArray(), type) is { } value
                ? value
                : EstError.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException exception)
        {
            // The parser's message names the problem and where (path, line, byte); nothing of the body itself.
            return EstError.BadRequest($"the request body is not the expected JSON object: {exception.Message}");
        }
    }
}
