namespace EstServer.LoadGen.Hostile;

/// <summary>
/// Slow clients: headers or a body dribbled a byte at a time, or a request that stalls half way. The
/// server must time out and close (Kestrel's RequestHeadersTimeout, MinRequestBodyDataRate) or answer
/// 408/400; never keep the connection forever (a hang) and never answer 5xx. They run on their own pool.
/// </summary>
public static class SlowCases
{
    public static IEnumerable<HostileCategory> Categories { get; } =
    [
        new("slow.dribble-headers", 0.12, DribbleHeaders),
        new("slow.stall-in-headers", 0.12, StallInHeaders),
        new("slow.dribble-body", 0.12, DribbleBody),
        new("slow.stall-in-body", 0.12, StallInBody),
        new("slow.idle-connection", 0.06, IdleConnection),
    ];

    private static readonly CaseExpectation TimedOut = CaseExpectation.OrClosed(408, 400);

    private static HostileCase DribbleHeaders(CaseContext c)
    {
        byte[] request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, c.ValidSeed().Body);
        int interval = c.Pick(250, 500, 1000);
        return Slow(c, $"request head dribbled 1 byte per {interval} ms", request, new CasePacing(c.Between(0, 10), 1, TimeSpan.FromMilliseconds(interval), Stall: false));
    }

    private static HostileCase StallInHeaders(CaseContext c)
    {
        byte[] request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, c.ValidSeed().Body);
        int headEnd = request.AsSpan().IndexOf("\r\n\r\n"u8);
        int sent = c.Between(1, headEnd + 2);
        return Slow(c, $"{sent} bytes of the request head, then nothing", request, new CasePacing(sent, 0, TimeSpan.Zero, Stall: true));
    }

    private static HostileCase DribbleBody(CaseContext c)
    {
        byte[] request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, c.ValidSeed().Body);
        int headEnd = request.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        int interval = c.Pick(100, 250, 500);
        return Slow(c, $"whole head, then the body 1 byte per {interval} ms", request, new CasePacing(headEnd + c.Between(0, 20), 1, TimeSpan.FromMilliseconds(interval), Stall: false));
    }

    private static HostileCase StallInBody(CaseContext c)
    {
        SeedEntry seed = c.ValidSeed();
        byte[] request = RawRequest.Post(c.Authority, CaseContext.EnrollPath, seed.Body);
        int headEnd = request.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        int sent = headEnd + c.Between(0, seed.Body.Length - 1);
        return Slow(c, $"whole head and {sent - headEnd} of {seed.Body.Length} body bytes, then nothing", request, new CasePacing(sent, 0, TimeSpan.Zero, Stall: true));
    }

    /// <summary>
    /// A connection that never sends a request line: nothing at all, or only empty lines (which RFC 9112
    /// §2.2 lets a server skip). Kestrel treats it as an idle keep-alive connection and must close it
    /// when Est:Limits:KeepAliveTimeout ends.
    /// </summary>
    private static HostileCase IdleConnection(CaseContext c)
    {
        byte[] request = c.Pick(Array.Empty<byte>(), "\r\n"u8.ToArray(), "\r\n\r\n\r\n\r\n\r\n"u8.ToArray());
        return c.Make($"TLS connection with {request.Length} bytes of empty lines and no request", CaseIdentity.Device, request, CaseExpectation.OrClosed(400, 408), keepAlive: false)
            with { Pacing = new CasePacing(request.Length, 0, TimeSpan.Zero, Stall: true), WaitsForIdleTimeout = true };
    }

    private static HostileCase Slow(CaseContext c, string description, byte[] request, CasePacing pacing) =>
        c.Make(description, CaseIdentity.Device, request, TimedOut, keepAlive: false) with { Pacing = pacing };
}
