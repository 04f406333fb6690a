using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>The request line and protocol: HTTP/1.0, unknown versions, garbage, odd separators and line endings, methods.</summary>
public static class HttpProtocolCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("http.http10", 0.8, Http10),
        new("http.version", 0.8, Version),
        new("http.request-line-garbage", 1.2, RequestLineGarbage),
        new("http.line-endings", 0.6, LineEndings),
        new("method.wrong", 1.2, WrongMethod),
        new("method.head", 0.5, Head),
    ];

    /// <summary>HTTP/1.0 is still HTTP: cacerts and a valid enrollment succeed (documented 2xx), garbage is 400.</summary>
    private static HostileCase Http10(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        int kind = c.Random.Next(4);
        (byte[] request, CaseExpectation expected, string description) = kind switch
        {
            0 => (RawRequest.Build($"GET {CaseContext.CaCertsPath} HTTP/1.0", [], []), CaseExpectation.Ok, "GET cacerts HTTP/1.0 without Host"),
            1 => (RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.0", ["Content-Type: application/pkcs10", $"Content-Length: {seed.Body.Length}"], seed.Body), CaseExpectation.Enrolled, $"POST seed {seed.Name} HTTP/1.0"),
            2 => (RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.0", ["Content-Type: application/pkcs10", "Content-Length: 6"], "MIIB!!"u8), CaseExpectation.Exactly(400), "POST garbage HTTP/1.0"),
            _ => (RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.0", ["Content-Type: application/pkcs10", "Transfer-Encoding: chunked"], RawRequest.Chunked(seed.Body, _ => 100)), CaseExpectation.Enrolled.With(400) with { MayClose = true }, "POST chunked HTTP/1.0"),
        };
        return c.Make(description, CaseIdentity.Device, request, expected, keepAlive: false);
    }

    /// <summary>Versions Kestrel does not speak: 400, or 505 HTTP Version Not Supported (the one 5xx that is a correct answer, counted apart).</summary>
    private static HostileCase Version(CaseContext c)
    {
        string version = c.Pick("HTTP/1.2", "HTTP/2.0", "HTTP/3", "HTTP/0.9", "HTTP/9.9", "http/1.1", "HTTP/1.1 ", "HTTP/1.10", "HTTP/01.1", "HTTPS/1.1", "HTTP/1", "");
        byte[] request = RawRequest.Build($"GET {CaseContext.CaCertsPath} {version}".TrimEnd(' ') + (version.EndsWith(' ') ? " " : ""), [$"Host: {c.Authority}"], []);
        return c.Make($"request line version '{version}'", CaseIdentity.Device, request, CaseExpectation.OrClosed(400, 505), keepAlive: false);
    }

    private static HostileCase RequestLineGarbage(CaseContext c)
    {
        int kind = c.Random.Next(12);
        (byte[] request, CaseExpectation expected) = kind switch
        {
            // Bytes with no line end leave Kestrel waiting for the rest of the request line: 408 when RequestHeadersTimeout ends.
            0 => (c.RandomBytes(c.Between(1, 2000)), CaseExpectation.OrClosed(400, 408, 505)),
            1 => (Ascii("GET\r\n\r\n"), CaseExpectation.OrClosed(400)),
            2 => (Ascii("GET /\r\n\r\n"), CaseExpectation.OrClosed(400)),
            3 => (Ascii($"GET  {CaseContext.CaCertsPath}  HTTP/1.1\r\nHost: x\r\n\r\n"), CaseExpectation.OrClosed(400)),
            4 => (Ascii($"GET\t{CaseContext.CaCertsPath}\tHTTP/1.1\r\nHost: x\r\n\r\n"), CaseExpectation.OrClosed(400)),
            5 => ([0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03, .. c.RandomBytes(160)], CaseExpectation.OrClosed(400, 408, 505)),
            6 => (Ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), CaseExpectation.OrClosed(400, 505)),
            7 => (Ascii($"GET https://{c.Authority}{CaseContext.CaCertsPath} HTTP/1.1\r\nHost: {c.Authority}\r\n\r\n"), CaseExpectation.Ok.With(400) with { MayClose = true }),
            // Authority-form is for CONNECT only: Kestrel answers 405.
            8 => (Ascii($"GET {c.Authority} HTTP/1.1\r\nHost: {c.Authority}\r\n\r\n"), CaseExpectation.OrClosed(400, 405)),
            9 => (Ascii("G\0T / HTTP/1.1\r\nHost: x\r\n\r\n"), CaseExpectation.OrClosed(400)),
            10 => (Ascii($"GET {CaseContext.CaCertsPath}#fragment HTTP/1.1\r\nHost: x\r\n\r\n"), CaseExpectation.OrClosed(400, 404)),
            _ => (Ascii($"GET {CaseContext.CaCertsPath} HTTP/1.1 extra\r\nHost: x\r\n\r\n"), CaseExpectation.OrClosed(400, 505)),
        };
        return c.Make($"garbage request line kind {kind}", CaseIdentity.Device, request, expected, keepAlive: false);
    }

    /// <summary>Bare LF line endings (RFC 9112 §2.2 lets a recipient accept them) and leading empty lines: answered normally or refused.</summary>
    private static HostileCase LineEndings(CaseContext c)
    {
        int kind = c.Random.Next(3);
        byte[] request = kind switch
        {
            0 => RawRequest.Build($"GET {CaseContext.CaCertsPath} HTTP/1.1", [$"Host: {c.Authority}"], [], "\n"),
            1 => [.. "\r\n"u8, .. RawRequest.Bodiless("GET", c.Authority, CaseContext.CaCertsPath)],
            _ => RawRequest.Build($"GET {CaseContext.CaCertsPath} HTTP/1.1", [$"Host: {c.Authority}"], [], "\r\r\n"),
        };
        return c.Make($"line endings kind {kind} (bare LF, leading CRLF, CR CR LF)", CaseIdentity.Device, request, CaseExpectation.Ok.With(400) with { MayClose = true }, keepAlive: false);
    }

    private static HostileCase WrongMethod(CaseContext c)
    {
        (string method, string path) = c.Pick(
            ("GET", CaseContext.EnrollPath), ("PUT", CaseContext.EnrollPath), ("DELETE", CaseContext.EnrollPath), ("PATCH", CaseContext.ReenrollPath),
            ("OPTIONS", CaseContext.EnrollPath), ("post", CaseContext.EnrollPath), ("Post", CaseContext.EnrollPath), ("POST", CaseContext.CaCertsPath),
            ("PUT", CaseContext.CsrAttrsPath), ("DELETE", CaseContext.CaCertsPath), ("FOO", CaseContext.EnrollPath), ("get", CaseContext.CaCertsPath),
            (new string('M', 1000), CaseContext.EnrollPath), ("PROPFIND", CaseContext.CsrAttrsPath));
        SeedEntry seed = c.ValidSeed();
        byte[] request = method is "GET" or "get" or "DELETE" or "OPTIONS"
            ? RawRequest.Bodiless(method, c.Authority, path)
            : RawRequest.Build($"{method} {path} HTTP/1.1", [$"Host: {c.Authority}", "Content-Type: application/pkcs10", $"Content-Length: {seed.Body.Length}"], seed.Body);
        // RFC 9110 §9.1 makes methods case-sensitive, but ASP.NET Core compares them ignoring case, so
        // "post"/"get" on the right resource is served like POST/GET: a tolerated leniency.
        CaseExpectation expected = (method, path) switch
        {
            ("post" or "Post", CaseContext.EnrollPath) => CaseExpectation.Enrolled.With(405),
            ("get", CaseContext.CaCertsPath) => CaseExpectation.Ok.With(405),
            _ => CaseExpectation.Exactly(405),
        };
        return c.Make($"{(method.Length > 20 ? method[..8] + "…" : method)} {path}", CaseIdentity.Device, request, expected);
    }

    /// <summary>HEAD is answered wherever GET is (RFC 9110 §9.3.2): 200 without a body; on the POST resources it is 405.</summary>
    private static HostileCase Head(CaseContext c)
    {
        string path = c.Pick(CaseContext.CaCertsPath, CaseContext.CsrAttrsPath, CaseContext.EnrollPath, CaseContext.ReenrollPath);
        CaseExpectation expected = path is CaseContext.CaCertsPath or CaseContext.CsrAttrsPath ? CaseExpectation.Ok : CaseExpectation.Exactly(405);
        return c.Make($"HEAD {path}", CaseIdentity.Device, RawRequest.Bodiless("HEAD", c.Authority, path), expected) with { HeadRequest = true };
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
