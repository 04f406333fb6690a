using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EstServer.TestSupport;

namespace EstServer.EndToEnd.Tests.Support;

/// <summary>
/// One request on one fresh TLS connection, written and read by hand: shows the negotiated protocol and
/// the response headers as sent (HttpClient hides Transfer-Encoding and may compute Content-Length).
/// </summary>
public static class RawHttpsExchange
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<RawHttpResponse> SendAsync(
        Uri baseAddress,
        X509Certificate2 trustAnchor,
        X509Certificate2? clientCertificate,
        SslProtocols protocols,
        string method,
        string path,
        string? contentType = null,
        byte[]? body = null)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellation.Token).ConfigureAwait(false);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = baseAddress.Host,
                    EnabledSslProtocols = protocols,
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                    LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => TestHttpClients.IsTrusted(certificate, trustAnchor),
                },
                cancellation.Token).ConfigureAwait(false);

            var head = new StringBuilder();
            head.Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\n");
            head.Append(CultureInfo.InvariantCulture, $"Host: {baseAddress.Authority}\r\n");
            if (contentType is not null)
            {
                head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
            }

            if (body is not null)
            {
                head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
            }

            head.Append("Connection: close\r\n\r\n");
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellation.Token).ConfigureAwait(false);
            if (body is not null)
            {
                await ssl.WriteAsync(body, cancellation.Token).ConfigureAwait(false);
            }

            await ssl.FlushAsync(cancellation.Token).ConfigureAwait(false);
            (string statusLine, List<KeyValuePair<string, string>> headers, byte[] responseBody) = await ReadResponseAsync(ssl, cancellation.Token).ConfigureAwait(false);
            byte[] serverCertificate = ssl.RemoteCertificate?.GetRawCertData() ?? [];
            return new RawHttpResponse(ssl.SslProtocol, ssl.IsMutuallyAuthenticated, serverCertificate, statusLine, headers, responseBody);
        }
    }

    private static async Task<(string, List<KeyValuePair<string, string>>, byte[])> ReadResponseAsync(SslStream ssl, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        int headerEnd = -1;
        long? contentLength = null;
        string statusLine = "";
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            if (headerEnd >= 0 && contentLength is { } length && received.Length >= headerEnd + length)
            {
                break;
            }

            int read;
            try
            {
                read = await ssl.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (headerEnd >= 0 && contentLength is null)
            {
                // Without a length the end of the body is the end of the connection, however it ends.
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (headerEnd < 0)
            {
                int end = IndexOf(received.GetBuffer().AsSpan(0, (int)received.Length), "\r\n\r\n"u8);
                if (end >= 0)
                {
                    headerEnd = end + 4;
                    string[] lines = Encoding.ASCII.GetString(received.GetBuffer(), 0, end).Split("\r\n");
                    statusLine = lines[0];
                    foreach (string line in lines.Skip(1))
                    {
                        int colon = line.IndexOf(':', StringComparison.Ordinal);
                        headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
                    }

                    string? lengthHeader = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
                    contentLength = lengthHeader is null ? null : long.Parse(lengthHeader, CultureInfo.InvariantCulture);
                }
            }
        }

        if (headerEnd < 0)
        {
            throw new IOException($"connection ended before the response headers were complete ({received.Length} bytes)");
        }

        return (statusLine, headers, received.ToArray()[headerEnd..]);
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}
