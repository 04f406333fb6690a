using System.Net;

namespace EstServer.Host.Tests.Support;

/// <summary>A body streamed in pieces with no Content-Length, as a chunked upload arrives.</summary>
internal sealed class UnknownLengthContent(byte[] body, int pieceSize = 256) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (int offset = 0; offset < body.Length; offset += pieceSize)
        {
            await stream.WriteAsync(body.AsMemory(offset, Math.Min(pieceSize, body.Length - offset))).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
