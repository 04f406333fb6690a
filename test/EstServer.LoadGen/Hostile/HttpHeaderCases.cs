using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>Headers: wrong, missing, duplicated and odd-cased Content-Type, absurd sizes, broken syntax, Host, Expect.</summary>
public static class HttpHeaderCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("http.content-type-wrong", 1.2, ContentTypeWrong),
        new("http.content-type-missing", 0.6, ContentTypeMissing),
        new("http.content-type-parameters", 0.5, ContentTypeParameters),
        new("http.header-case", 1.0, HeaderCase),
        new("http.duplicate-content-type", 0.6, DuplicateContentType),
        new("http.header-huge", 0.6, HeaderHuge),
        new("http.host", 0.5, Host),
        new("http.header-syntax", 0.8, HeaderSyntax),
        new("http.expect", 0.5, Expect),
    ];

    private static HostileCase ContentTypeWrong(CaseContext c)
    {
        string contentType = c.Pick("text/plain", "application/pkcs7-mime", "application/octet-stream", "application/pkcs10x", "pkcs10",
            "application/", "multipart/form-data; boundary=x", "*/*", "application/x-pkcs10", "application/pkcs10+der", "application / pkcs10",
            "application/json", "", "application/pkcs10, text/plain");
        bool valid = c.Chance(0.7);
        byte[] body = valid ? c.ValidSeed().Body : c.RandomBytes(64);
        // "application / pkcs10" is not a media type (RFC 9110 §8.3.1 has no spaces around '/'), but the
        // platform's parser accepts it: a tolerated leniency, so a valid body there may be issued.
        CaseExpectation expected = contentType != "application / pkcs10" ? CaseExpectation.Exactly(415)
            : valid ? CaseExpectation.Enrolled.With(415) : CaseExpectation.Exactly(400, 415);
        return c.Make($"Content-Type '{contentType}'", CaseIdentity.Device, RawRequest.Post(c.Authority, CaseContext.EnrollPath, body, contentType), expected);
    }

    private static HostileCase ContentTypeMissing(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        return c.Make($"seed {seed.Name} without Content-Type", CaseIdentity.Device, RawRequest.Post(c.Authority, CaseContext.EnrollPath, seed.Body, contentType: null), CaseExpectation.Exactly(415));
    }

    /// <summary>Media type parameters do not change the media type (RFC 9110 §8.3.1): a documented 2xx.</summary>
    private static HostileCase ContentTypeParameters(CaseContext c)
    {
        string contentType = c.Pick("application/pkcs10; charset=utf-8", "application/pkcs10;name=device.p10", "application/pkcs10 ; charset=US-ASCII", "application/pkcs10; smime-type=pkcs10");
        SeedEntry seed = c.ValidSeed();
        return c.Make($"seed {seed.Name} with Content-Type '{contentType}'", CaseIdentity.Device, RawRequest.Post(c.Authority, CaseContext.EnrollPath, seed.Body, contentType), CaseExpectation.Enrolled);
    }

    /// <summary>Header names are case-insensitive, and so is the media type: a documented 2xx.</summary>
    private static HostileCase HeaderCase(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        string contentTypeName = c.Pick("content-type", "CONTENT-TYPE", "cOnTeNt-TyPe");
        string lengthName = c.Pick("content-length", "CONTENT-LENGTH", "Content-length");
        string hostName = c.Pick("host", "HOST", "hOsT");
        string mediaType = c.Pick("application/pkcs10", "APPLICATION/PKCS10", "Application/Pkcs10");
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"{hostName}: {c.Authority}", $"{contentTypeName}: {mediaType}", $"{lengthName}: {seed.Body.Length}"], seed.Body);
        return c.Make($"seed {seed.Name} with headers '{contentTypeName}: {mediaType}', '{lengthName}', '{hostName}'", CaseIdentity.Device, request, CaseExpectation.Enrolled);
    }

    private static HostileCase DuplicateContentType(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        (string first, string second) = c.Pick(("application/pkcs10", "text/plain"), ("text/plain", "application/pkcs10"), ("application/pkcs10", "application/pkcs10"));
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"Host: {c.Authority}", $"Content-Type: {first}", $"Content-Type: {second}", $"Content-Length: {seed.Body.Length}"], seed.Body);
        return c.Make($"two Content-Type headers '{first}' and '{second}'", CaseIdentity.Device, request, CaseExpectation.Exactly(400, 415));
    }

    private static HostileCase HeaderHuge(CaseContext c)
    {
        int kind = c.Random.Next(5);
        var headers = new List<string> { "Host: " + c.Authority };
        string path = CaseContext.CaCertsPath;
        switch (kind)
        {
            case 0:
                headers.Add("X-Padding: " + new string('a', c.Pick(17_000, 40_000, 100_000)));
                break;
            case 1:
                headers.AddRange(Enumerable.Range(0, c.Pick(51, 100, 1000)).Select(i => $"X-H{i}: v"));
                break;
            case 2:
                path += "?" + new string('q', c.Pick(4_100, 10_000, 60_000));
                break;
            case 3:
                headers.Add(new string('N', c.Pick(17_000, 30_000)) + ": v");
                break;
            default:
                headers.AddRange(Enumerable.Range(0, 45).Select(i => $"X-H{i}: " + new string('b', 400)));
                break;
        }

        byte[] request = RawRequest.Build($"GET {path} HTTP/1.1", headers, []);
        CaseExpectation expected = kind == 4 ? CaseExpectation.OrClosed(431, 400) : CaseExpectation.OrClosed(400, 414, 431);
        return c.Make($"oversized request head kind {kind}: {request.Length} bytes", CaseIdentity.Device, request, expected, keepAlive: false);
    }

    private static HostileCase Host(CaseContext c)
    {
        int kind = c.Random.Next(5);
        var headers = kind switch
        {
            0 => new List<string>(),
            1 => ["Host: " + c.Authority, "Host: " + c.Authority],
            2 => ["Host: a b"],
            3 => ["Host: [::1"],
            _ => ["Host: " + c.Authority + "@evil.example"],
        };
        byte[] request = RawRequest.Build($"GET {CaseContext.CaCertsPath} HTTP/1.1", headers, []);
        return c.Make($"Host header kind {kind} (missing, twice, space, open bracket, userinfo)", CaseIdentity.Device, request, CaseExpectation.OrClosed(400), keepAlive: false);
    }

    private static HostileCase HeaderSyntax(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        string broken = c.Pick(
            "Content-Type : application/pkcs10",
            "Content-Type\tapplication/pkcs10",
            "Content-Type application/pkcs10",
            " Content-Type: application/pkcs10",
            "X-Folded: a\r\n continued",
            "X-Nul: a\0b",
            "X-Cr: a\rb",
            "Content(Type): x",
            ": empty-name",
            "Ünicode-Name: x",
            "X-Ctl: a\u0001b");
        byte[] request = RawRequest.Build($"POST {CaseContext.EnrollPath} HTTP/1.1",
            [$"Host: {c.Authority}", "Content-Type: application/pkcs10", broken, $"Content-Length: {seed.Body.Length}"], seed.Body);
        // Kestrel tolerates a control character inside a value and some non-token characters in a name
        // of a header nobody reads: then the (valid) request is simply served.
        CaseExpectation expected = broken is "Content(Type): x" or "X-Ctl: a\u0001b" ? CaseExpectation.Enrolled.With(400) with { MayClose = true } : CaseExpectation.OrClosed(400);
        return c.Make($"broken header line '{Base64Cases.Escape(broken).Replace("\0", "\\0", StringComparison.Ordinal).Replace("\u0001", "\\x01", StringComparison.Ordinal)}'", CaseIdentity.Device, request, expected, keepAlive: false);
    }

    /// <summary>Expect: 100-continue is honoured (a documented 2xx for a valid body); an unknown expectation may be ignored or refused with 417.</summary>
    private static HostileCase Expect(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        string expect = c.Pick("100-continue", "100-CONTINUE", "bogus-expectation");
        CaseExpectation expected = expect == "bogus-expectation" ? CaseExpectation.Enrolled.With(417) : CaseExpectation.Enrolled;
        byte[] request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, seed.Body, extra: "Expect: " + expect);
        return c.Make($"seed {seed.Name} with Expect: {expect}", CaseIdentity.Device, request, expected, keepAlive: expect != "bogus-expectation");
    }

    internal static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
