using System.Globalization;
using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Body framing: contradictory lengths, Content-Length with chunked, broken chunked encodings, bodies
/// shorter than announced (then a TLS half-close), bodies over the limit with and without a length.
/// </summary>
public static class HttpFramingCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("http.duplicate-content-length", 0.6, DuplicateContentLength),
        new("http.content-length-and-chunked", 0.6, ContentLengthAndChunked),
        new("http.bad-chunked", 1.5, BadChunked),
        new("http.chunked-valid", 0.8, ChunkedValid),
        new("http.body-shorter-than-length", 0.6, BodyShorterThanLength),
        new("http.body-oversized", 1.0, BodyOversized),
        new("http.bad-content-length", 0.6, BadContentLength),
    ];

    private static HostileCase DuplicateContentLength(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        int other = c.Pick(seed.Body.Length, seed.Body.Length + 1, 0, seed.Body.Length - 10);
        string[] headers = c.Chance(0.5)
            ? [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Content-Length: {seed.Body.Length}", $"Content-Length: {other}", "Connection: close"]
            : [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Content-Length: {seed.Body.Length}, {other}", "Connection: close"];
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1", headers, seed.Body);
        return c.Make($"Content-Length {seed.Body.Length} and {other} ({(headers.Length == 5 ? "two headers" : "one list")})", CaseIdentity.Device, request, CaseExpectation.OrClosed(400), keepAlive: false);
    }

    /// <summary>RFC 9112 §6.3: with both, a server must refuse (400) or use chunked and close; a valid chunked body may therefore be issued (documented 2xx).</summary>
    private static HostileCase ContentLengthAndChunked(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        byte[] chunked = RawRequest.Chunked(seed.Body, _ => c.Between(16, 200));
        int length = c.Pick(seed.Body.Length, 5, chunked.Length, 0);
        bool lengthFirst = c.Chance(0.5);
        string[] framing = lengthFirst
            ? [$"Content-Length: {length}", "Transfer-Encoding: chunked"]
            : ["Transfer-Encoding: chunked", $"Content-Length: {length}"];
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"Host: {c.Authority}", "Content-Type: application/pkcs10", .. framing, "Connection: close"], chunked);
        return c.Make($"Content-Length {length} with a chunked body of seed {seed.Name}", CaseIdentity.Device, request, CaseExpectation.Enrolled.With(400) with { MayClose = true }, keepAlive: false);
    }

    private static HostileCase BadChunked(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        byte[] good = RawRequest.Chunked(seed.Body, _ => 64);
        int kind = c.Random.Next(12);
        byte[] body = kind switch
        {
            0 => Ascii("zz\r\n") .Concat(seed.Body).ToArray(),
            1 => Ascii("-5\r\nhello\r\n0\r\n\r\n"),
            2 => Ascii("FFFFFFFFFFFFFFFFFF\r\nAAAA\r\n0\r\n\r\n"),
            3 => Ascii("10\r\nAAAA\r\n0\r\n\r\n"),
            4 => Ascii("4\r\nAAAAXX0\r\n\r\n"),
            5 => Ascii("4\nAAAA\n0\n\n"),
            6 => Ascii("4;" + new string('e', 10_000) + "\r\nAAAA\r\n0\r\n\r\n"),
            7 => good[..^5],
            8 => Ascii("0x10\r\nAAAAAAAAAAAAAAAA\r\n0\r\n\r\n"),
            9 => Ascii(" 4\r\nAAAA\r\n0\r\n\r\n"),
            10 => [.. good[..^2], .. Ascii("X-Trailer: " + new string('t', 40_000) + "\r\n\r\n")],
            _ => Ascii("4\r\nAAAA\r\n0\r\n"),
        };
        // 7 and 11 end without the final CRLF: the server is left waiting for it, so the client half-closes to end the body.
        bool halfClose = kind is 7 or 11;
        byte[] request = RawRequest.PostChunked(c.Authority, CaseContext.EnrollPath, body, close: true);
        // Kind 3 announces more chunk data than it sends: the server waits for the rest, and 408 (the body
        // never arrived in time) is as right an answer as 400.
        CaseExpectation expected = kind == 3 ? CaseExpectation.OrClosed(400, 408) : CaseExpectation.OrClosed(400);
        return c.Make($"broken chunked body kind {kind}{(halfClose ? " then TLS close_notify" : "")}", CaseIdentity.Device, request, expected, keepAlive: false) with { HalfCloseAfterSend = halfClose };
    }

    /// <summary>Chunked bodies in odd but valid shapes (tiny chunks, extensions, upper-case hex, trailers): a documented 2xx.</summary>
    private static HostileCase ChunkedValid(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        int size = c.Pick(1, 3, 16, 100, 5000);
        string extension = c.Pick("", ";ext=1", ";a;b=\"quoted\"");
        string trailers = c.Pick("", "X-Trailer: yes\r\n");
        byte[] body = RawRequest.Chunked(seed.Body, _ => size, extension, upperHex: c.Chance(0.5), trailers);
        string coding = c.Pick("chunked", "CHUNKED", "Chunked");
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Transfer-Encoding: {coding}"], body);
        return c.Make($"seed {seed.Name} chunked by {size} ('{coding}', extension '{extension}', trailers {trailers.Length > 0})", CaseIdentity.Device, request, CaseExpectation.Enrolled);
    }

    private static HostileCase BodyShorterThanLength(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        int sent = c.Between(0, seed.Body.Length - 1);
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Content-Length: {seed.Body.Length}"], seed.Body.AsSpan(0, sent));
        return c.Make($"Content-Length {seed.Body.Length}, {sent} bytes sent, then TLS close_notify", CaseIdentity.Device, request, CaseExpectation.OrClosed(400), keepAlive: false) with { HalfCloseAfterSend = true };
    }

    private static HostileCase BodyOversized(CaseContext c)
    {
        long limit = c.Settings.MaxRequestBodyBytes;
        int kind = c.Random.Next(6);
        CaseIdentity identity = kind == 5 ? CaseIdentity.None : CaseIdentity.Device;
        byte[] request;
        string description;
        switch (kind)
        {
            case 0:
            case 5:
                {
                    byte[] body = Encoding.ASCII.GetBytes(new string('A', (int)limit + c.Pick(1, 4, 1000, (int)limit)));
                    request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, body, close: true);
                    description = $"{body.Length}-byte body with Content-Length";
                    break;
                }

            case 1:
                {
                    byte[] body = Encoding.ASCII.GetBytes(new string('A', (int)limit + c.Pick(1, 1000, (int)limit)));
                    request = RawRequest.PostChunked(c.Authority, CaseContext.EnrollPath, RawRequest.Chunked(body, _ => 4096), close: true);
                    description = $"{body.Length}-byte chunked body";
                    break;
                }

            case 2:
                {
                    string length = c.Pick("10000000000", "9223372036854775807", (limit + 1).ToString(CultureInfo.InvariantCulture));
                    request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
                        [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Content-Length: {length}", "Connection: close"], "MIIB"u8);
                    description = $"Content-Length {length} with 4 bytes sent";
                    break;
                }

            case 3:
                {
                    byte[] body = Encoding.ASCII.GetBytes(new string('\n', (int)limit + 1));
                    request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, body, close: true);
                    description = "limit + 1 bytes of line breaks";
                    break;
                }

            default:
                {
                    byte[] body = Encoding.ASCII.GetBytes(new string('A', (int)limit * 9));
                    request = RawRequest.PostChunked(c.Authority, CaseContext.EnrollPath, RawRequest.Chunked(body, _ => 1 << 16), close: true);
                    description = $"{body.Length}-byte chunked body, past Kestrel's own backstop";
                    break;
                }
        }

        // Refused before the body is read: the server may close with the body unread, and the reset can swallow the 413.
        CaseExpectation expected = identity == CaseIdentity.None ? CaseExpectation.OrClosed(401) : CaseExpectation.OrClosed(413);
        return c.Make(description + (identity == CaseIdentity.None ? ", no client certificate" : ""), identity, request, expected, keepAlive: false);
    }

    private static HostileCase BadContentLength(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        string length = c.Pick("-1", "abc", "0x10", "1e3", "+5", " ", "18446744073709551616", "99999999999999999999999");
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Content-Length: {length}", "Connection: close"], seed.Body);
        return c.Make($"Content-Length '{length}'", CaseIdentity.Device, request, CaseExpectation.OrClosed(400), keepAlive: false);
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
