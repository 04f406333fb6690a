using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace EstServer.Host.Tests.Support;

/// <summary>
/// Runs before the application's own middleware and sets the connection's client certificate from
/// <see cref="PresentedCertificates"/>, as Kestrel would after a mutual-TLS handshake, and the remote
/// address from <see cref="RemoteAddressHeader"/>, as a TCP connection would.
/// </summary>
internal sealed class ClientCertificateStartupFilter(PresentedCertificates certificates) : IStartupFilter
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(PresentedCertificates.Header, out var key))
            {
                context.Request.Headers.Remove(PresentedCertificates.Header);
                context.Connection.ClientCertificate = certificates.Get(key.ToString());
            }

            if (context.Request.Headers.TryGetValue(RemoteAddressHeader, out var address))
            {
                context.Request.Headers.Remove(RemoteAddressHeader);
                context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address.ToString());
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
