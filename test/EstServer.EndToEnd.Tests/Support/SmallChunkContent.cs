using System.Net;
using System.Net.Http.Headers;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// A body of unknown length written in small pieces, so HTTP/1.1 sends it with Transfer-Encoding:
/// chunked, one chunk per piece, as a device stack with a small send buffer does.
/// </summary>
public sealed class SmallChunkContent : HttpContent
{
    private readonly byte[] _body;
    private readonly int _chunkSize;

    public SmallChunkContent(byte[] body, int chunkSize, string mediaType)
    {
        _body = body;
        _chunkSize = chunkSize;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (int offset = 0; offset < _body.Length; offset += _chunkSize)
        {
            await stream.WriteAsync(_body.AsMemory(offset, Math.Min(_chunkSize, _body.Length - offset))).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
