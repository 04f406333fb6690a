using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EstServer.LoadGen;

/// <summary>
/// A minimal HTTP/1.1-over-TLS client: one socket, one SslStream, requests written by hand. It costs
/// the load generator far less CPU than HttpClient, which matters because the generator shares the
/// machine's cores with the server it measures. TLS session resumption is off, so every new
/// connection is a full mutual-TLS handshake, like a fleet of devices each connecting for the first time.
/// </summary>
public sealed class RawHttpsConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _tls;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawHttpsConnection(Socket socket, SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public static async Task<RawHttpsConnection> OpenAsync(Uri server, SslStreamCertificateContext? client, ServerCertificateCheck serverCheck, CancellationToken cancellationToken)
    {
        (Socket socket, SslStream tls) = await TlsClientConnector.ConnectAsync(server, client, serverCheck, cancellationToken).ConfigureAwait(false);
        return new RawHttpsConnection(socket, tls);
    }

    public async Task<(int Status, byte[] Body)> SendAsync(string method, string pathAndQuery, string host, byte[]? body, string? contentType, bool close, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(256);
        head.Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\nHost: ").Append(host).Append("\r\n");
        if (body is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\nContent-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
        if (body is null)
        {
            await _tls.WriteAsync(headBytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            byte[] request = new byte[headBytes.Length + body.Length];
            headBytes.CopyTo(request, 0);
            body.CopyTo(request, headBytes.Length);
            await _tls.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(int, byte[])> ReadResponseAsync(CancellationToken cancellationToken)
    {
        int filled = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            int read = await _tls.ReadAsync(_buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("connection closed before the response headers");
            }

            filled += read;
        }

        string headers = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
        int status = int.Parse(headers.AsSpan(9, 3), CultureInfo.InvariantCulture);
        int length = 0;
        foreach (string line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
            }
        }

        byte[] body = new byte[length];
        int bodyStart = headerEnd + 4;
        int inBuffer = Math.Min(filled - bodyStart, length);
        _buffer.AsSpan(bodyStart, inBuffer).CopyTo(body);
        int have = inBuffer;
        while (have < length)
        {
            int read = await _tls.ReadAsync(body.AsMemory(have), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("connection closed inside the response body");
            }

            have += read;
        }

        return (status, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
