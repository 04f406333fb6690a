using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>Routes: unknown labels and operations (404), paths in odd shapes and cases, non-ASCII paths.</summary>
public static class RouteCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("route.unknown-label", 1.0, UnknownLabel),
        new("route.unknown-operation", 1.0, UnknownOperation),
        new("route.odd-path", 0.8, OddPath),
        new("route.non-ascii", 0.8, NonAscii),
        new("route.valid-get", 0.6, ValidGet),
    ];

    private static HostileCase UnknownLabel(CaseContext c)
    {
        string label = c.Pick(
            "x-" + c.UniqueName,
            "x" + new string('l', c.Pick(100, 1000, 3000)),
            "x%00", "x%FF", "x%C3%A9", "x%20", "x;param", "x.", "~x", "x@y", "x%252F",
            "field-device-not", "gateways", "xn--nxasmq6b");
        string operation = c.Pick("cacerts", "csrattrs", "simpleenroll", "simplereenroll");
        string path = $"{CaseContext.Root}/{label}/{operation}";
        byte[] request = operation.StartsWith("simple", StringComparison.Ordinal)
            ? RawRequest.Post(c.Authority, path, c.ValidSeed().Body)
            : RawRequest.Bodiless("GET", c.Authority, path);
        // Percent-encoded or odd characters may already be refused by Kestrel (400) before routing.
        CaseExpectation expected = label.IndexOfAny(['%', ';', '~', '@']) >= 0 ? CaseExpectation.Exactly(400, 404) : CaseExpectation.Exactly(404);
        return c.Make($"label '{(label.Length > 40 ? label[..12] + "…" : label)}' on {operation}", CaseIdentity.Device, request, expected);
    }

    private static HostileCase UnknownOperation(CaseContext c)
    {
        string operation = c.Pick("serverkeygen", "fullcmc", "simpleenrol", "simpleenroll2", "enroll", "cacert", "csrattr", "cacerts/extra",
            "simpleenroll/x/y", "", "a/b/c/d/e", new string('o', 3000), "simpleenroll.json", "%73impleenroll2", "..%2Fhealthz");
        string method = c.Pick("GET", "POST");
        string path = $"{CaseContext.Root}/{operation}";
        byte[] request = method == "POST" ? RawRequest.Post(c.Authority, path, c.ValidSeed().Body) : RawRequest.Bodiless("GET", c.Authority, path);
        CaseExpectation expected = operation.Contains('%', StringComparison.Ordinal) ? CaseExpectation.Exactly(400, 404) : CaseExpectation.Exactly(404);
        return c.Make($"{method} operation '{(operation.Length > 40 ? operation[..12] + "…" : operation)}'", CaseIdentity.Device, request, expected);
    }

    /// <summary>GETs of cacerts along paths in odd shapes; any of 200 (normalised to cacerts, or matched case-insensitively), 400 or 404 is correct.</summary>
    private static HostileCase OddPath(CaseContext c)
    {
        string path = c.Pick(
            "//.well-known/est/cacerts", "/.well-known/est//cacerts", "/.well-known/est/./cacerts", "/.well-known/est/x/../cacerts",
            "/.well-known/est/%2e%2e/cacerts", "/.well-known/est/cacerts/", "/.well-known/est/cacerts?x=1&y=%00", "/.well-known/est/cacerts;x",
            "/.WELL-KNOWN/EST/CACERTS", "/.well-known/EST/cacerts", "/.well-known/est/CaCerts", "/.well-known/est/%63acerts",
            "/.well-known/est/..", "/.well-known/est/../../../../etc/passwd", "/.well-known%2Fest/cacerts", "/./.well-known/est/cacerts",
            "/.well-known/est/cacerts%00", "/.well-known/est/cacerts%", "/.well-known/est/cacerts%zz", "*");
        // "*" (asterisk-form) is for OPTIONS only: Kestrel answers 405.
        return c.Make($"GET {path}", CaseIdentity.Device, RawRequest.Bodiless("GET", c.Authority, path), CaseExpectation.OrClosed(200, 400, 404, 405), keepAlive: false);
    }

    private static HostileCase NonAscii(CaseContext c)
    {
        string path = c.Pick(
            "/.well-known/est/\u00e9tiquette/cacerts",
            "/.well-known/est/\u00ff\u00fe/simpleenroll",
            "/.well-known/est/%C3%A9tiquette/cacerts",
            "/.well-known/est/%C0%AE%C0%AE/cacerts",
            "/.well-known/est/%FF%FE/cacerts",
            "/.well-known/est/\u00c3\u00a9/cacerts",
            "/.well-known/est/%E2%80%AE/cacerts",
            "/\u0080/.well-known/est/cacerts");
        byte[] request = RawRequest.Bodiless("GET", c.Authority, path);
        return c.Make($"non-ASCII path {Convert.ToHexString(Encoding.Latin1.GetBytes(path))}", CaseIdentity.Device, request, CaseExpectation.OrClosed(400, 404), keepAlive: false);
    }

    /// <summary>cacerts and csrattrs, on the default route and the shipped labels, with and without a client certificate: a documented 2xx.</summary>
    private static HostileCase ValidGet(CaseContext c)
    {
        string label = c.Pick("", "field-device/", "gateway/", "constrained/");
        string operation = c.Pick("cacerts", "csrattrs");
        CaseIdentity identity = c.Pick(CaseIdentity.Device, CaseIdentity.None, CaseIdentity.Untrusted, CaseIdentity.Expired);
        return c.Make($"GET {label}{operation} as {identity}", identity, RawRequest.Bodiless("GET", c.Authority, $"{CaseContext.Root}/{label}{operation}"), CaseExpectation.Ok);
    }
}
