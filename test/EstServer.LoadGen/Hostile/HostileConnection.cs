using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace EstServer.LoadGen.Hostile;

/// <summary>
/// One TLS connection that sends hostile requests exactly as generated (paced for slow clients, with an
/// optional TLS half-close) while reading the answer at the same time, and classifies what happened:
/// a status, the server closing the connection, or nothing at all within the timeout (a hang). It reads
/// any response framing (Content-Length, chunked, to end of stream, interim 1xx, HEAD).
/// </summary>
public sealed class HostileConnection : IAsyncDisposable
{
    private const int MaxHead = 64 * 1024;
    private const int MaxBody = 1024 * 1024;

    private readonly Socket _socket;
    private readonly SslStream _tls;
    private readonly byte[] _buffer = new byte[MaxHead + 16 * 1024];
    private int _start;
    private int _end;

    private HostileConnection(Socket socket, SslStream tls, CaseIdentity identity)
    {
        _socket = socket;
        _tls = tls;
        Identity = identity;
    }

    public CaseIdentity Identity { get; }

    /// <summary>Bytes received during the last case: 0 on a kept-alive connection the server had already closed.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Whether the last case left the connection able to carry another request.</summary>
    public bool Reusable { get; private set; }

    public int CasesRun { get; private set; }

    public static async Task<HostileConnection> OpenAsync(Uri server, CaseIdentity identity, SslStreamCertificateContext? client, ServerCertificateCheck serverCheck, CancellationToken cancellationToken)
    {
        (Socket socket, SslStream tls) = await TlsClientConnector.ConnectAsync(server, client, serverCheck, cancellationToken).ConfigureAwait(false);
        return new HostileConnection(socket, tls, identity);
    }

    public async Task<CaseOutcome> RunAsync(HostileCase hostileCase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CasesRun++;
        Reusable = false;
        BytesReceived = 0;
        long started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        Task<bool> writing = WriteAsync(hostileCase, stopWriting.Token);
        CaseOutcome outcome;
        ParsedResponse? response = null;
        try
        {
            response = await ReadResponseAsync(hostileCase.HeadRequest, deadline.Token).ConfigureAwait(false);
            outcome = CaseOutcome.Answered(response.Status, Stopwatch.GetElapsedTime(started), response.BodyStart);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = CaseOutcome.Hung(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (exception is IOException or SocketException or AuthenticationException or ObjectDisposedException or InvalidDataException)
        {
            outcome = CaseOutcome.Closed(Stopwatch.GetElapsedTime(started), Describe(exception));
        }

        // The request may still be on its way (an early answer before the whole body was sent): on a
        // connection worth keeping, give the writer a moment to finish; otherwise stop it. Only a
        // finished writer leaves a reusable connection.
        bool keep = response is { KeepAlive: true } && hostileCase.KeepAlive && !hostileCase.HalfCloseAfterSend;
        bool written = false;
        if (keep)
        {
            try
            {
                written = await writing.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        if (!writing.IsCompleted)
        {
            // WriteAsync catches its own cancellation: this ends it without an exception.
            await stopWriting.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
        }

        Reusable = keep && written && _start == _end;
        return outcome;
    }

    private async Task<bool> WriteAsync(HostileCase hostileCase, CancellationToken cancellationToken)
    {
        try
        {
            byte[] request = hostileCase.Request;
            if (hostileCase.Pacing is not { } pacing)
            {
                await _tls.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                int sent = Math.Min(pacing.SendFirst, request.Length);
                if (sent > 0)
                {
                    await _tls.WriteAsync(request.AsMemory(0, sent), cancellationToken).ConfigureAwait(false);
                }

                if (pacing.Stall)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }

                while (sent < request.Length)
                {
                    // The pause is the case (a slow client), not synchronisation.
                    await Task.Delay(pacing.Interval, cancellationToken).ConfigureAwait(false);
                    int size = Math.Min(pacing.ChunkSize, request.Length - sent);
                    await _tls.WriteAsync(request.AsMemory(sent, size), cancellationToken).ConfigureAwait(false);
                    sent += size;
                }
            }

            if (hostileCase.HalfCloseAfterSend)
            {
                await _tls.ShutdownAsync().ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    private async Task<ParsedResponse> ReadResponseAsync(bool headRequest, CancellationToken cancellationToken)
    {
        while (true)
        {
            int headEnd = await FillUntilAsync("\r\n\r\n"u8, cancellationToken).ConfigureAwait(false);
            string head = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start);
            _start = headEnd + 4;
            string[] lines = head.Split("\r\n");
            string[] statusLine = lines[0].Split(' ', 3);
            if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
                || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
            {
                throw new InvalidDataException($"not an HTTP status line: '{lines[0]}'");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    string name = line[..colon].Trim();
                    string value = line[(colon + 1)..].Trim();
                    headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
                }
            }

            if (status is >= 100 and < 200)
            {
                continue;
            }

            bool http11 = statusLine[0] == "HTTP/1.1";
            bool close = !http11 || (headers.TryGetValue("Connection", out string? connection) && connection.Contains("close", StringComparison.OrdinalIgnoreCase));
            byte[] body;
            if (headRequest || status is 204 or 304)
            {
                body = [];
            }
            else if (headers.TryGetValue("Transfer-Encoding", out string? coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = await ReadChunkedAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (headers.TryGetValue("Content-Length", out string? lengthText) && int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            {
                body = await ReadExactlyAsync(Math.Min(length, MaxBody), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                body = await ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                close = true;
            }

            string bodyStart = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 160)).ReplaceLineEndings(" ").Trim();
            return new ParsedResponse(status, bodyStart, !close, headers);
        }
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        while (true)
        {
            int lineEnd = await FillUntilAsync("\r\n"u8, cancellationToken).ConfigureAwait(false);
            string sizeText = Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0].Trim();
            _start = lineEnd + 2;
            int size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                // Trailers, if any, up to the empty line.
                while (true)
                {
                    int end = await FillUntilAsync("\r\n"u8, cancellationToken).ConfigureAwait(false);
                    bool empty = end == _start;
                    _start = end + 2;
                    if (empty)
                    {
                        return body.ToArray();
                    }
                }
            }

            body.Write(await ReadExactlyAsync(size, cancellationToken).ConfigureAwait(false));
            _ = await FillUntilAsync("\r\n"u8, cancellationToken).ConfigureAwait(false);
            _start += 2;
            if (body.Length > MaxBody)
            {
                throw new InvalidDataException("chunked response body too large");
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        byte[] body = new byte[length];
        int have = 0;
        while (have < length)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            int take = Math.Min(length - have, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(body.AsSpan(have));
            _start += take;
            have += take;
        }

        return body;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        try
        {
            while (body.Length < MaxBody)
            {
                if (_start == _end)
                {
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                }

                body.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (IOException) when (body.Length > 0)
        {
        }

        return body.ToArray();
    }

    /// <summary>Reads until <paramref name="marker"/> is buffered; returns its absolute position.</summary>
    private async Task<int> FillUntilAsync(byte[] marker, CancellationToken cancellationToken)
    {
        while (true)
        {
            int found = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (found >= 0)
            {
                return _start + found;
            }

            if (_end - _start >= MaxHead)
            {
                throw new InvalidDataException("response head too large");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<int> FillUntilAsync(ReadOnlySpan<byte> marker, CancellationToken cancellationToken) => FillUntilAsync(marker.ToArray(), cancellationToken);

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int read = await _tls.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new EndOfStreamException(BytesReceived == 0 ? "closed before any response byte" : "closed inside the response");
        }

        BytesReceived += read;
        _end += read;
    }

    private static string Describe(Exception exception) => exception switch
    {
        EndOfStreamException => exception.Message,
        IOException { InnerException: SocketException socket } => $"connection {socket.SocketErrorCode}",
        SocketException socket => $"connection {socket.SocketErrorCode}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
