using System.Globalization;
using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// HTTP/1.x requests written byte by byte. Text is Latin-1, so a case can put any byte 0x00-0xFF in a
/// request line or header (non-ASCII paths, NULs); nothing is validated.
/// </summary>
public static class RawRequest
{
    public const string Pkcs10 = "application/pkcs10";

    public static byte[] Build(string requestLine, IEnumerable<string> headerLines, ReadOnlySpan<byte> body, string newline = "\r\n")
    {
        var head = new StringBuilder(256);
        head.Append(requestLine).Append(newline);
        foreach (string line in headerLines)
        {
            head.Append(line).Append(newline);
        }

        head.Append(newline);
        byte[] headBytes = Encoding.Latin1.GetBytes(head.ToString());
        byte[] request = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(request, 0);
        body.CopyTo(request.AsSpan(headBytes.Length));
        return request;
    }

    /// <summary>A well-framed POST: Host, Content-Type (unless null), Content-Length, then any extra header lines.</summary>
    public static byte[] Post(string authority, string path, ReadOnlySpan<byte> body, string? contentType = Pkcs10, bool close = false, params string[] extra)
    {
        var headers = new List<string> { "Host: " + authority };
        if (contentType is not null)
        {
            headers.Add("Content-Type: " + contentType);
        }

        headers.Add("Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture));
        headers.AddRange(extra);
        if (close)
        {
            headers.Add("Connection: close");
        }

        return Build("POST " + path + " HTTP/1.1", headers, body);
    }

    /// <summary>A body-less request (GET, HEAD, or any method) with Host and any extra header lines.</summary>
    public static byte[] Bodiless(string method, string authority, string path, bool close = false, params string[] extra)
    {
        var headers = new List<string> { "Host: " + authority };
        headers.AddRange(extra);
        if (close)
        {
            headers.Add("Connection: close");
        }

        return Build(method + " " + path + " HTTP/1.1", headers, []);
    }

    /// <summary>The chunked transfer coding of RFC 9112 §7.1 with chunks of the given sizes (the last one repeats), terminated.</summary>
    public static byte[] Chunked(ReadOnlySpan<byte> body, Func<int, int> chunkSize, string extension = "", bool upperHex = false, string trailers = "")
    {
        var output = new MemoryStream();
        int offset = 0;
        int index = 0;
        while (offset < body.Length)
        {
            int size = Math.Clamp(chunkSize(index++), 1, body.Length - offset);
            string hex = size.ToString(upperHex ? "X" : "x", CultureInfo.InvariantCulture);
            output.Write(Encoding.ASCII.GetBytes(hex + extension + "\r\n"));
            output.Write(body.Slice(offset, size));
            output.Write("\r\n"u8);
            offset += size;
        }

        output.Write(Encoding.ASCII.GetBytes("0\r\n" + trailers + "\r\n"));
        return output.ToArray();
    }

    /// <summary>A POST with a chunked body already encoded (or deliberately mis-encoded) by the caller.</summary>
    public static byte[] PostChunked(string authority, string path, ReadOnlySpan<byte> encodedBody, string? contentType = Pkcs10, bool close = false, params string[] extra)
    {
        var headers = new List<string> { "Host: " + authority };
        if (contentType is not null)
        {
            headers.Add("Content-Type: " + contentType);
        }

        headers.Add("Transfer-Encoding: chunked");
        headers.AddRange(extra);
        if (close)
        {
            headers.Add("Connection: close");
        }

        return Build("POST " + path + " HTTP/1.1", headers, encodedBody);
    }
}
