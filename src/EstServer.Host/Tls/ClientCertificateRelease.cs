using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace EstServer.Host.Tls;

/// <summary>
/// Frees a connection's client certificate when the connection ends. Once a request has read the
/// certificate (every EST operation does), SslStream hands ownership over and no longer disposes it, so
/// otherwise every enrollment connection would leave a native certificate for the finalizer thread to
/// free at some later GC. The certificate belongs to the connection, not to a request: keep-alive
/// requests share it, so it is released here, after the last of them.
/// </summary>
public static class ClientCertificateRelease
{
    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            ExposedCertificate(connection)?.Dispose();
        }
    };

    /// <summary>
    /// The certificate a request read, if any. A certificate no request read is SslStream's, already
    /// disposed with it; asking the closed stream for it then throws.
    /// </summary>
    private static X509Certificate2? ExposedCertificate(ConnectionContext connection)
    {
        try
        {
            return connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            return null;
        }
    }
}
