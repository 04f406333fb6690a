using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace EstServer.LoadGen;

/// <summary>
/// Opens a TCP connection and runs a full TLS handshake over it, as a device does: no session resumption
/// (every connection pays the whole handshake, which is what the benchmark measures), the device's
/// identity as client certificate, and the server checked against the configured trust anchor.
/// </summary>
public static class TlsClientConnector
{
    public static async Task<(Socket Socket, SslStream Tls)> ConnectAsync(Uri server, SslStreamCertificateContext? client, ServerCertificateCheck serverCheck, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, cancellationToken).ConfigureAwait(false);
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = server.Host,
                ClientCertificateContext = client,
                AllowTlsResume = false,
                EnabledSslProtocols = SslProtocols.None,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => serverCheck.IsTrusted(certificate),
            }, cancellationToken).ConfigureAwait(false);
            return (socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
