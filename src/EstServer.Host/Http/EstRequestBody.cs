using System.Buffers;
using System.IO.Pipelines;
using EstServer.Core.Errors;
using EstServer.Core.Wire;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace EstServer.Host.Http;

/// <summary>Reads an EST request body: the right media type, within the size limit, base64 of DER.</summary>
public static class EstRequestBody
{
    public static async Task<Result<byte[]>> ReadBase64DerAsync(HttpContext context, string mediaType, long limit)
    {
        HttpRequest request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? contentType)
            || !contentType.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
        {
            return EstError.UnsupportedMediaType(request.ContentType is null
                ? $"Content-Type is missing; send {mediaType}"
                : $"Content-Type {request.ContentType} is not accepted; send {mediaType}");
        }

        if (request.ContentLength > limit)
        {
            return EstError.PayloadTooLarge(limit);
        }

        // Kestrel counts chunked framing (size lines, CRLFs) against its own limit, so that limit only
        // backstops runaway bodies; the exact limit is applied to the decoded body below.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = KestrelBackstop(limit);
        }

        byte[] body;
        try
        {
            Result<byte[]> read = await ReadAllAsync(request.BodyReader, limit, context.RequestAborted).ConfigureAwait(false);
            if (!read.IsSuccess)
            {
                return read;
            }

            body = read.Value;
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's verdict on the body's framing: too large, too slow, or malformed (bad chunks,
            // shorter than its Content-Length). The client gets that status with a reason, not a 500.
            return KestrelRequestErrors.From(exception, limit);
        }
        catch (IOException)
        {
            // e.g. a chunk size too large to represent.
            return EstError.BadRequest(KestrelRequestErrors.MalformedBody);
        }

        return EstBase64.TryDecode(body, out byte[] der, out string? problem) ? der : EstError.BadRequest(problem!);
    }

    /// <summary>Room for chunk framing at even one byte per chunk, around the real limit.</summary>
    public static long KestrelBackstop(long limit) => (limit * 8) + 1024;

    private static async Task<Result<byte[]>> ReadAllAsync(PipeReader reader, long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return EstError.PayloadTooLarge(limit);
            }

            if (result.IsCompleted)
            {
                byte[] body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
