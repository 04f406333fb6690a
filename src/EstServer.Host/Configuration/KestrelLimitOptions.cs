namespace EstServer.Host.Configuration;

/// <summary>The "Est:Limits" section: Kestrel limits, set deliberately for small EST messages from many devices.</summary>
public sealed record KestrelLimitOptions
{
    /// <summary>Open connections at once; beyond this new connections wait in the accept queue.</summary>
    public long MaxConnections { get; init; } = 10_000;

    /// <summary>All request headers together; EST requests carry a handful of short headers.</summary>
    public int MaxRequestHeadersBytes { get; init; } = 16 * 1024;

    public int MaxRequestHeaderCount { get; init; } = 50;

    public int MaxRequestLineBytes { get; init; } = 4 * 1024;

    /// <summary>A client that has not sent its headers by then is disconnected (slow clients).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The TLS handshake must finish within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP/2 streams per connection.</summary>
    public int MaxStreamsPerConnection { get; init; } = 32;
}
