using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// One hostile request: the exact bytes to send over TLS, who sends them, how, and which outcomes
/// are acceptable. Made by <see cref="HostileCaseGenerator"/>; the same seed and index give the same case.
/// </summary>
public sealed record HostileCase
{
    public required long Index { get; init; }

    /// <summary>A short dotted name (family.kind), the unit of the per-category counts.</summary>
    public required string Category { get; init; }

    public required string Description { get; init; }

    public required CaseIdentity Identity { get; init; }

    /// <summary>The whole HTTP/1.x request as written on the wire: request line, headers, body.</summary>
    public required byte[] Request { get; init; }

    public required CaseExpectation Expected { get; init; }

    /// <summary>May run on a kept-alive connection (the request is well framed, so the next one on it is not disturbed).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>The answer carries no body whatever its headers say (HEAD).</summary>
    public bool HeadRequest { get; init; }

    /// <summary>After the request, send TLS close_notify (a half-close) and still wait for the answer.</summary>
    public bool HalfCloseAfterSend { get; init; }

    /// <summary>Set for slow clients; they run on their own pool so they do not occupy the fast workers.</summary>
    public CasePacing? Pacing { get; init; }

    public bool IsSlow => Pacing is not null;

    /// <summary>
    /// The server will only act when its keep-alive (idle) timeout ends, not its header or body timeouts,
    /// so the case waits for <see cref="HostileCampaignSettings.IdleCaseTimeout"/> before calling it a hang.
    /// </summary>
    public bool WaitsForIdleTimeout { get; init; }

    /// <summary>The request line, printable, for reports.</summary>
    public string RequestLine
    {
        get
        {
            int end = Request.AsSpan().IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = Request.AsSpan(0, end < 0 ? Math.Min(Request.Length, 120) : Math.Min(end, 120));
            var text = new StringBuilder(line.Length);
            foreach (byte b in line)
            {
                text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
            }

            return text.ToString();
        }
    }
}
